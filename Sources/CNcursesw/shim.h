/* The only C in Kith: what Swift cannot reach in ncursesw directly.
 * SwiftPM drops pkg-config's -D flags, and without NCURSES_WIDECHAR the wide API
 * (get_wch, setcchar, cchar_t) silently disappears, so define it here. */
#ifndef KITH_CNCURSESW_SHIM_H
#define KITH_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 600
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

int wcwidth(wchar_t c);

#include <sys/prctl.h>
#include <sys/resource.h>

/* No core file may hold the data key: no core dumps, and the process can't be dumped or
 * attached to by another process of the same user (prctl is variadic, out of Swift's reach). */
static inline int kith_forbid_dumps(void) {
    struct rlimit none = { 0, 0 };
    int failed = setrlimit(RLIMIT_CORE, &none);
    failed |= prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return failed;
}

/* Globals Swift 6 rejects as shared mutable state. */
static inline WINDOW *kith_stdscr(void) { return stdscr; }
static inline int kith_lines(void) { return LINES; }
static inline int kith_cols(void) { return COLS; }
static inline int kith_colors(void) { return COLORS; }
static inline int kith_color_pairs(void) { return COLOR_PAIRS; }

/* Attribute masks and function-like macros that do not import. */
static inline attr_t kith_a_normal(void) { return A_NORMAL; }
static inline attr_t kith_a_bold(void) { return A_BOLD; }
static inline attr_t kith_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kith_a_reverse(void) { return A_REVERSE; }
static inline attr_t kith_a_dim(void) { return A_DIM; }
static inline attr_t kith_a_italic(void) { return A_ITALIC; }
static inline int kith_key_f(int n) { return KEY_F(n); }

/* setcchar with an extended colour pair (pairs above 32767 go through opts). */
static inline int kith_setcchar(cchar_t *cell, const wchar_t *text, attr_t attrs, int pair) {
    int extended = pair;
    return setcchar(cell, text, attrs, 0, &extended);
}

/* Paint one cell at (y, x) on stdscr. */
static inline int kith_put_cell(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (kith_setcchar(&cell, text, attrs, pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

#endif
