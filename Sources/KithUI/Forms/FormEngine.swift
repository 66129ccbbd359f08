import KithCore

/// What a key did to a form.
public enum FormOutcome: Equatable, Sendable {
    /// A value changed.
    case changed
    /// Only the cursor or view moved.
    case moved
    /// Not a key for the form: the screen decides (Esc, Ctrl-S, help…).
    case ignored
    /// Text was refused for being longer than the field allows (nothing changed).
    case tooLong(limit: Int)
}

/// A laid-out field: where it sits in the form's content and how tall it is.
struct PlacedField {
    var field: FieldSpec
    var y: Int
    var height: Int
}

extension FormState {
    // MARK: - Layout

    /// Width of the label column for single-line fields.
    static func labelWidth(_ width: Int) -> Int { min(24, max(12, width / 3)) }

    static func height(of field: FieldSpec, value: FieldValue, width: Int, focused: Bool, problem: Bool) -> Int {
        let extra = (problem ? 1 : 0) + (field.labelAbove ? 1 : 0)
        switch field.kind {
        case .text, .choice, .toggle, .date, .rating: return 1 + extra
        case .note(let lines):
            // A one-line note (assessment evidence) sits on one row until it has the cursor.
            if lines == 1 && !focused { return 1 + extra }
            return 1 + (focused ? max(lines, min(12, lines + 4)) : lines) + 2 + extra
        case .multiChoice(let options):
            let widgetWidth = max(10, width - labelWidth(width) - 1)
            var rows = 1, x = 0
            for option in options {
                let w = DisplayWidth.of(option.label) + 6
                if x + w > widgetWidth && x > 0 { rows += 1; x = 0 }
                x += w
            }
            return rows + extra
        case .rows:
            guard case .rows(let value) = value else { return 2 + extra }
            return 1 + max(1, value.rows.count) + 1 + extra
        case .heading: return 2
        case .info(let lines): return lines.reduce(0) { $0 + max(1, $1.wrapped(to: max(10, width - 4)).count) }
        }
    }

    func layout(_ spec: FormSpec, width: Int) -> [PlacedField] {
        var y = 0
        var placed: [PlacedField] = []
        for field in spec.fields {
            let h = FormState.height(of: field, value: self[field.id], width: width, focused: focus == field.id, problem: problems[field.id] != nil)
            placed.append(PlacedField(field: field, y: y, height: h))
            y += h
        }
        return placed
    }

    /// Keeps the focused field inside the viewport.
    mutating func scrollToFocus(_ spec: FormSpec, viewport: Size) {
        guard let focus, let placed = layout(spec, width: viewport.width).first(where: { $0.field.id == focus }) else { return }
        let h = max(1, viewport.height)
        // Show a heading just above the first field of a section.
        if placed.y < scroll { scroll = max(0, placed.y - 2) }
        if placed.y + placed.height > scroll + h { scroll = min(placed.y, placed.y + placed.height - h) }
        scroll = max(0, scroll)
    }

    // MARK: - Focus

    public mutating func focusNext(_ spec: FormSpec, viewport: Size, wrap: Bool = false) {
        moveFocus(spec, by: 1, viewport: viewport, wrap: wrap)
    }

    public mutating func focusPrevious(_ spec: FormSpec, viewport: Size, wrap: Bool = false) {
        moveFocus(spec, by: -1, viewport: viewport, wrap: wrap)
    }

    public mutating func focus(on id: String, _ spec: FormSpec, viewport: Size) {
        guard spec.focusable.contains(where: { $0.id == id }) else { return }
        focus = id
        committed = true
        scrollToFocus(spec, viewport: viewport)
    }

    /// Moves the cursor to the next or previous field. Tab and Shift-Tab wrap around the
    /// form; arrows stop at its ends.
    private mutating func moveFocus(_ spec: FormSpec, by step: Int, viewport: Size, wrap: Bool) {
        let ids = spec.focusable.map(\.id)
        guard !ids.isEmpty else { return }
        let current = focus.flatMap { ids.firstIndex(of: $0) } ?? -1
        let next = wrap ? (current + step + ids.count) % ids.count : min(max(0, current + step), ids.count - 1)
        if next != current { committed = true }
        focus = ids[next]
        scrollToFocus(spec, viewport: viewport)
    }

    /// Moves the focus about a screenful of fields forwards or back.
    mutating func movePage(_ spec: FormSpec, viewport: Size, forward: Bool) {
        let placed = layout(spec, width: viewport.width).filter { $0.field.kind.isFocusable }
        guard let current = placed.firstIndex(where: { $0.field.id == focus }) ?? (forward ? nil : placed.indices.last) else {
            if let first = placed.first { focus(on: first.field.id, spec, viewport: viewport) }
            return
        }
        let step = max(1, viewport.height - 2)
        let target = placed[current].y + (forward ? step : -step)
        let next = forward ? (placed.firstIndex { $0.y >= target } ?? placed.count - 1) : (placed.lastIndex { $0.y <= target } ?? 0)
        focus(on: placed[next].field.id, spec, viewport: viewport)
    }

    // MARK: - Keys

    /// Handles a key for the form shown in `viewport` (the content area).
    public mutating func handle(_ key: Key, spec: FormSpec, viewport: Size, today: Day) -> FormOutcome {
        if let editor = rowEditor.first, case .rows(let rows)? = spec.field(editor.field)?.kind {
            let outcome = handleRowEditor(key, rowsSpec: rows, viewport: viewport, today: today, editor: editor)
            // The finished row joins the list: keep it (and the rest of the field) in view.
            if rowEditor.isEmpty { scrollToFocus(spec, viewport: viewport) }
            return outcome
        }
        if let field = pendingRemoval {
            pendingRemoval = nil
            if key == .char("y") || key == .char("Y"), case .rows(var value) = self[field], value.rows.indices.contains(value.selected) {
                value.rows.remove(at: value.selected)
                value.selected = max(0, min(value.selected, value.rows.count - 1))
                self[field] = .rows(value)
                return changed()
            }
            return .moved
        }
        switch key {
        case .tab: focusNext(spec, viewport: viewport, wrap: true); return .moved
        case .backTab: focusPrevious(spec, viewport: viewport, wrap: true); return .moved
        default: break
        }
        // Long forms (an assessment has dozens of items): a page of fields at a time, or
        // the first and last field — except where the keys belong to the text being typed.
        let typing = takesText(spec)
        let inNote: Bool = if let id = focus, case .note? = spec.field(id)?.kind { true } else { false }
        switch key {
        case .pageDown where !inNote: movePage(spec, viewport: viewport, forward: true); return .moved
        case .pageUp where !inNote: movePage(spec, viewport: viewport, forward: false); return .moved
        case .home where !typing:
            if let first = spec.focusable.first { focus(on: first.id, spec, viewport: viewport) }
            return .moved
        case .end where !typing:
            if let last = spec.focusable.last { focus(on: last.id, spec, viewport: viewport) }
            return .moved
        default: break
        }
        guard let id = focus, let field = spec.field(id) else { return .ignored }
        let labelWidth = FormState.labelWidth(viewport.width)
        switch (field.kind, self[id]) {
        case (.text, .text(var text)):
            if key == .enter { focusNext(spec, viewport: viewport); return .moved }
            let result = text.handle(key)
            self[id] = .text(text)
            return outcome(result, key: key, spec: spec, viewport: viewport)

        case (.date, .date(var date)):
            if key == .enter { focusNext(spec, viewport: viewport); return .moved }
            let result = date.handle(key)
            self[id] = .date(date)
            return outcome(result, key: key, spec: spec, viewport: viewport)

        case (.note(let lines), .note(var note)):
            let height = max(lines, min(12, lines + 4))
            let result = note.handle(key, width: max(10, viewport.width - 4), height: height)
            self[id] = .note(note)
            if result == .unchanged {
                if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
                if key == .down { focusNext(spec, viewport: viewport); return .moved }
                return .ignored
            }
            return outcome(result, key: key, spec: spec, viewport: viewport)

        case (.choice(let options), .choice(var pick)):
            if !pick.isOpen {
                if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
                if key == .down { focusNext(spec, viewport: viewport); return .moved }
            }
            let before = pick.selected
            let result = pick.handle(key, options: options)
            self[id] = .choice(pick)
            if result == .unchanged { return .ignored }
            if pick.selected != before { committed = true; return changed() }
            return .moved

        case (.multiChoice(let options), .multi(var multi)):
            if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
            if key == .down || key == .enter { focusNext(spec, viewport: viewport); return .moved }
            let before = multi.selected
            guard multi.handle(key, options: options) else { return .ignored }
            self[id] = .multi(multi)
            return multi.selected != before ? changed() : .moved

        case (.toggle, .toggle(var box)):
            if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
            if key == .down || key == .enter { focusNext(spec, viewport: viewport); return .moved }
            guard box.handle(key) else { return key.typedCharacter == nil ? .ignored : .moved }
            self[id] = .toggle(box)
            committed = true
            return changed()

        case (.rating(let rating), .rating(var scale)):
            if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
            if key == .down || key == .enter { focusNext(spec, viewport: viewport); return .moved }
            let before = scale.rating
            guard scale.handle(key, options: rating.options, allowUnknown: rating.allowUnknown) else { return .ignored }
            self[id] = .rating(scale)
            if scale.rating != before { committed = true; return changed() }
            return .moved

        case (.rows(let rowsSpec), .rows(var value)):
            switch key {
            case .up:
                if value.selected > 0 && !value.rows.isEmpty { value.selected -= 1; self[id] = .rows(value); return .moved }
                focusPrevious(spec, viewport: viewport); return .moved
            case .down:
                if value.selected < value.rows.count - 1 { value.selected += 1; self[id] = .rows(value); return .moved }
                focusNext(spec, viewport: viewport); return .moved
            case .enter:
                if value.rows.isEmpty { return openRow(id, index: nil, rowsSpec: rowsSpec) }
                return openRow(id, index: value.selected, rowsSpec: rowsSpec)
            case .char("+"), .char("a"), .insert:
                return openRow(id, index: nil, rowsSpec: rowsSpec)
            case .char("-"), .char("d"), .delete:
                guard !value.rows.isEmpty else { return .moved }
                pendingRemoval = id
                return .moved
            default:
                _ = labelWidth
                return .ignored
            }

        default:
            return .ignored
        }
    }

    private mutating func changed() -> FormOutcome {
        dirty = true
        return .changed
    }

    private mutating func outcome(_ result: TextEditor.EditResult, key: Key, spec: FormSpec, viewport: Size) -> FormOutcome {
        switch result {
        case .changed:
            return changed()
        case .moved:
            return .moved
        case .tooLong(let limit):
            return .tooLong(limit: limit)
        case .unchanged:
            if key == .up { focusPrevious(spec, viewport: viewport); return .moved }
            if key == .down { focusNext(spec, viewport: viewport); return .moved }
            return key.typedCharacter == nil ? .ignored : .moved
        }
    }

    private mutating func openRow(_ field: String, index: Int?, rowsSpec: RowsSpec) -> FormOutcome {
        let spec = FormSpec(title: rowsSpec.rowTitle, fields: rowsSpec.fields)
        var form = FormState(spec: spec)
        if let index, case .rows(let value) = self[field], value.rows.indices.contains(index) {
            for (key, v) in value.rows[index] { form.values[key] = v }
        }
        rowEditor = [RowEditor(field: field, index: index, form: form)]
        return .moved
    }

    private mutating func handleRowEditor(_ key: Key, rowsSpec: RowsSpec, viewport: Size, today: Day, editor: RowEditor) -> FormOutcome {
        var editor = editor
        let spec = FormSpec(title: rowsSpec.rowTitle, fields: rowsSpec.fields)
        let result = editor.form.handle(key, spec: spec, viewport: viewport, today: today)
        rowEditor = [editor]
        if result == .ignored && (key == .escape || key == .ctrl("s") || key == .function(2)) {
            // Esc and Ctrl-S both finish the row only: saving the whole record is a
            // separate Ctrl-S, so a record that can't be edited later is never saved
            // half-filled from inside a row.
            closeRowEditor()
            return .moved
        }
        if result == .changed { dirty = true }
        return result
    }

    /// Puts the row being edited back into its field. A new row left empty is dropped.
    public mutating func closeRowEditor() {
        guard let editor = rowEditor.first, case .rows(var value) = self[editor.field] else { rowEditor = []; return }
        rowEditor = []
        let isEmpty = editor.form.values.values.allSatisfy(\.isEmpty)
        if let index = editor.index, value.rows.indices.contains(index) {
            value.rows[index] = editor.form.values
        } else if !isEmpty {
            value.rows.append(editor.form.values)
            value.selected = value.rows.count - 1
        }
        self[editor.field] = .rows(value)
        committed = true
    }

    /// Pastes text into the focused text field or note (a multi-line paste stays text).
    public mutating func paste(_ pasted: String, spec: FormSpec, viewport: Size) -> FormOutcome {
        // A pasted tab is a space; other control characters can't be stored.
        let text = TextSanitizer.text(pasted)
        if var editor = rowEditor.first, case .rows(let rows)? = spec.field(editor.field)?.kind {
            let result = editor.form.paste(text, spec: FormSpec(title: rows.rowTitle, fields: rows.fields), viewport: viewport)
            rowEditor = [editor]
            if result == .changed { dirty = true }
            return result
        }
        guard let id = focus else { return .ignored }
        switch self[id] {
        case .text(var field):
            let result = field.paste(text)
            self[id] = .text(field)
            return result == .changed ? changed() : result == .tooLong(limit: field.editor.limit) ? .tooLong(limit: field.editor.limit) : .moved
        case .note(var note):
            let result = note.paste(text, width: max(10, viewport.width - 4), height: 10)
            self[id] = .note(note)
            if case .tooLong(let limit) = result { return .tooLong(limit: limit) }
            return result == .changed ? changed() : .moved
        case .date(var date):
            _ = date.field.paste(text)
            self[id] = .date(date)
            return changed()
        default:
            return .ignored
        }
    }

    /// Whether the key would be typed into the focused field (so the screen must not
    /// treat it as a command).
    public func takesText(_ spec: FormSpec) -> Bool {
        if let editor = rowEditor.first, case .rows(let rows)? = spec.field(editor.field)?.kind {
            return editor.form.takesText(FormSpec(title: rows.rowTitle, fields: rows.fields))
        }
        guard let id = focus, let field = spec.field(id) else { return false }
        switch field.kind {
        case .text, .note, .date: return true
        case .choice: if case .choice(let pick) = self[id] { return pick.isOpen }; return false
        default: return false
        }
    }
}
