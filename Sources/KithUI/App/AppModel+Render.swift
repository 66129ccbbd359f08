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
        // On the right, what fits whole: the hub's state and the user, else the hub's state
        // alone (what a worker back from a visit looks for), else the user.
        var candidates: [String] = []
        if let session = context.session {
            let user = "\(session.user.displayName) · \(ctx.strings.label(session.user.role))"
            if let hub = context.hub {
                let line = hub.line(now: context.now, strings: ctx.strings)
                candidates = [line + " · " + user, line]
            } else {
                candidates = [user]
            }
        }
        var end = row.maxX
        if context.session?.isDemo == true {
            let demo = " " + ctx.strings("header.demo") + " "
            let width = DisplayWidth.of(demo)
            buffer.put(demo, x: row.maxX - width, y: row.y, style: ctx[.headerDemo])
            end -= width
        }
        let room = end - row.x - DisplayWidth.of(left) - 4
        let right = candidates.first { DisplayWidth.of($0) <= room } ?? ""
        let rightWidth = DisplayWidth.of(right)
        let leftRoom = context.session?.isDemo == true ? end - row.x - 2 : end - row.x - rightWidth - 3
        buffer.put(left, x: 1, y: row.y, style: ctx[.header], maxWidth: leftRoom)
        if rightWidth > 0 { buffer.put(right, x: end - rightWidth - 1, y: row.y, style: ctx[.header]) }
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
