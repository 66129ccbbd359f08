import KithCore

extension AppModel {
    /// Header, the top screen, status line, footer, then any overlay. Below 80×24 a
    /// clear message instead (the screens and their work are kept as they are).
    public func render(into buffer: inout CellBuffer) {
        let ctx = context.render
        buffer.fill(buffer.bounds, style: ctx[.normal])
        guard buffer.size.fits(.minimum) else {
            renderTooSmall(into: &buffer, ctx: ctx)
            return
        }
        let bounds = buffer.bounds
        if let lock {
            // Locked: no family, name or record of the screens underneath is drawn.
            buffer.fill(bounds.row(0), style: ctx[.header])
            buffer.put("Kith · " + lock.title(context), x: 1, y: 0, style: ctx[.header], maxWidth: bounds.width - 2)
            lock.render(into: &buffer, area: Rect(x: 0, y: 1, width: bounds.width, height: bounds.height - 3), context: context)
            Footer.render(lock.keymap.merged(with: Keymap.global), into: &buffer, area: bounds.row(bounds.height - 1), context: ctx)
            return
        }
        renderHeader(into: &buffer, row: bounds.row(0), ctx: ctx)
        let area = Rect(x: 0, y: 1, width: bounds.width, height: bounds.height - 3)
        if let top {
            top.render(into: &buffer, area: area, context: context)
        }
        let statusRow = bounds.row(bounds.height - 2)
        if let status {
            status.render(into: &buffer, area: statusRow, context: ctx)
        } else {
            buffer.fill(statusRow, style: ctx[.normal])
        }
        if let top { Footer.render(top.keymap.merged(with: Keymap.global), into: &buffer, area: bounds.row(bounds.height - 1), context: ctx) }
        switch overlay {
        case .help(let keymap, let scroll):
            HelpOverlay.render(keymap, into: &buffer, context: ctx, scroll: scroll)
        case .dialog(let pending):
            pending.dialog.render(into: &buffer, context: ctx)
        case nil:
            break
        }
    }

    private func renderHeader(into buffer: inout CellBuffer, row: Rect, ctx: RenderContext) {
        buffer.fill(row, style: ctx[.header])
        var left = "Kith"
        if let top { left += " · " + top.title(context) }
        var right = ""
        if let session = context.session {
            right = "\(session.user.displayName) · \(ctx.strings.label(session.user.role))"
        }
        if context.session?.isDemo == true {
            let demo = " " + ctx.strings("header.demo") + " "
            let width = DisplayWidth.of(demo)
            buffer.put(demo, x: row.maxX - width, y: row.y, style: ctx[.headerDemo])
            buffer.put(left, x: 1, y: row.y, style: ctx[.header], maxWidth: row.width - width - 2)
            // The user's name only when it fits whole.
            if DisplayWidth.of(right) <= row.width - width - DisplayWidth.of(left) - 4 {
                buffer.put(right, x: row.maxX - width - DisplayWidth.of(right) - 1, y: row.y, style: ctx[.header])
            }
            return
        }
        let rightWidth = DisplayWidth.of(right) <= row.width - DisplayWidth.of(left) - 4 ? DisplayWidth.of(right) : 0
        buffer.put(left, x: 1, y: row.y, style: ctx[.header], maxWidth: row.width - rightWidth - 3)
        if rightWidth > 0 { buffer.put(right, x: row.maxX - rightWidth - 1, y: row.y, style: ctx[.header]) }
    }

    private func renderTooSmall(into buffer: inout CellBuffer, ctx: RenderContext) {
        let lines = [
            ctx.strings("tooSmall.title"),
            ctx.strings("tooSmall.need", ["width": String(Size.minimum.width), "height": String(Size.minimum.height)]),
            ctx.strings("tooSmall.have", ["size": "\(buffer.width)×\(buffer.height)"]),
            ctx.strings("tooSmall.kept"),
        ]
        var y = max(0, (buffer.height - lines.count * 2) / 2)
        for (i, line) in lines.enumerated() {
            for part in line.wrapped(to: max(8, buffer.width - 2)) {
                let x = max(0, (buffer.width - DisplayWidth.of(part)) / 2)
                buffer.put(part, x: x, y: y, style: i == 0 ? ctx[.title] : ctx[.normal])
                y += 1
            }
            y += 1
        }
        buffer.cursor = nil
    }
}
