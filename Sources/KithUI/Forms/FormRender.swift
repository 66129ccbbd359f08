import KithCore

extension CellBuffer {
    /// Copies rows `rows` of `source` to this buffer at `origin` (clipped to both).
    mutating func blit(_ source: CellBuffer, rows: Range<Int>, to origin: Point) {
        for (i, sy) in rows.enumerated() where sy >= 0 && sy < source.height {
            let ty = origin.y + i
            guard ty >= 0 && ty < height else { continue }
            for sx in 0..<min(source.width, width - origin.x) where origin.x + sx >= 0 {
                self[origin.x + sx, ty] = source[sx, sy]
            }
        }
        if let cursor = source.cursor, rows.contains(cursor.y) {
            self.cursor = Point(x: origin.x + cursor.x, y: origin.y + cursor.y - rows.lowerBound)
        }
    }
}

extension FormState {
    /// Draws the form's fields into `area`, scrolled to `scroll`. An open row editor is
    /// drawn instead of the form, titled with the row's field.
    public func render(_ spec: FormSpec, into buffer: inout CellBuffer, area: Rect, context: RenderContext) {
        if let editor = rowEditor.first, case .rows(let rows)? = spec.field(editor.field)?.kind {
            let title: String
            if let index = editor.index { title = context.strings("form.row.edit", ["row": rows.rowTitle, "n": String(index + 1)]) } else {
                title = context.strings("form.row.new", ["row": rows.rowTitle])
            }
            let (titleRow, rest) = area.splitTop(2)
            buffer.fill(titleRow, style: context[.normal])
            buffer.put(title, x: titleRow.x + 1, y: titleRow.y, style: context[.section], maxWidth: titleRow.width - 2)
            buffer.put(context.strings("form.row.done"), x: titleRow.x + 1, y: titleRow.y + 1, style: context[.formHint], maxWidth: titleRow.width - 2)
            editor.form.render(FormSpec(title: rows.rowTitle, fields: rows.fields), into: &buffer, area: rest, context: context)
            return
        }
        buffer.fill(area, style: context[.normal])
        var popup: (Point, [PickList.Option], PickList)?
        for placed in layout(spec, width: area.width) {
            let top = placed.y - scroll
            guard top + placed.height > 0, top < area.height else { continue }
            var scratch = CellBuffer(size: Size(width: area.width, height: placed.height), style: context[.normal])
            let focused = focus == placed.field.id
            if placed.field.labelAbove {
                // The label on its own line, the field below it, indented.
                let label = (focused ? "▸ " : "  ") + placed.field.label + (placed.field.required ? " *" : "")
                scratch.put(label, x: 0, y: 0, style: focused ? context[.title] : context[.formLabel], maxWidth: area.width)
                var below = CellBuffer(size: Size(width: area.width, height: placed.height - 1), style: context[.normal])
                var field = placed.field
                field.label = ""
                field.labelAbove = false
                renderField(field, into: &below, width: area.width, focused: focused, context: context)
                scratch.blit(below, rows: 0..<below.height, to: Point(x: 0, y: 1))
            } else {
                renderField(placed.field, into: &scratch, width: area.width, focused: focused, context: context)
            }
            let visible = max(0, -top)..<min(placed.height, area.height - top)
            buffer.blit(scratch, rows: visible, to: Point(x: area.x, y: area.y + max(0, top)))
            if focused, case .choice(let options) = placed.field.kind, case .choice(let pick) = self[placed.field.id], pick.isOpen {
                popup = (Point(x: area.x + FormState.labelWidth(area.width) + 1, y: area.y + top), options, pick)
            }
        }
        if let (anchor, options, pick) = popup {
            pick.renderPopup(into: &buffer, anchor: anchor, options: options, context: context)
            buffer.cursor = nil
        }
    }

    private func renderField(_ field: FieldSpec, into buffer: inout CellBuffer, width: Int, focused: Bool, context: RenderContext) {
        // A field whose label is drawn above it starts near the left edge.
        let labelWidth = field.label.isEmpty ? 3 : FormState.labelWidth(width)
        let marker = focused ? "▸ " : "  "
        let label = marker + field.label + (field.required ? " *" : "")
        let labelStyle = focused ? context[.title] : context[.formLabel]
        let widgetX = labelWidth + 1
        let widgetWidth = max(1, width - widgetX - 1)
        let widgetArea = Rect(x: widgetX, y: 0, width: widgetWidth, height: 1)
        let fieldStyle = focused ? context[.formFieldFocused] : context[.formField]
        var problemRow: Int?
        switch (field.kind, self[field.id]) {
        case (.text, .text(let text)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            text.render(into: &buffer, area: widgetArea, style: fieldStyle, focused: focused)
            problemRow = 1
        case (.date, .date(let date)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            date.render(into: &buffer, area: widgetArea, context: context, focused: focused)
            problemRow = 1
        case (.choice(let options), .choice(let pick)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            pick.render(into: &buffer, area: widgetArea, options: options, style: focused ? context[.formFieldFocused] : context[.normal],
                        focused: focused, placeholder: context.strings("form.choose"))
            problemRow = 1
        case (.toggle, .toggle(let box)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            box.render(into: &buffer, area: widgetArea, label: box.checked ? context.strings("form.yes") : context.strings("form.no"),
                       style: focused ? context[.formFieldFocused] : context[.normal], focused: focused)
            problemRow = 1
        case (.rating(let spec), .rating(let scale)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            var was: String?
            if let before = spec.previous?.value {
                var text = context.strings("rating.was", ["value": RatingScale.display(before, spec.options)])
                if let now = scale.rating.value, let up = spec.higherIsBetter {
                    let change = now == before ? "same" : (now > before) == up ? "better" : "worse"
                    text += " · " + context.strings("change.\(change)")
                }
                was = text
            }
            scale.render(into: &buffer, area: widgetArea, options: spec.options, context: context, focused: focused, previous: spec.previous, note: was)
            problemRow = 1
        case (.multiChoice(let options), .multi(let multi)):
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            var x = widgetX, y = 0
            if options.isEmpty { buffer.put(context.strings("form.none"), x: x, y: y, style: context[.muted]) }
            for (i, option) in options.enumerated() {
                let text = (multi.selected.contains(option.id) ? "[x] " : "[ ] ") + option.label
                let w = DisplayWidth.of(text) + 2
                if x + w > width && x > widgetX { x = widgetX; y += 1 }
                let style = focused && i == multi.cursor ? context[.formFieldFocused] : context[.normal]
                buffer.put(text, x: x, y: y, style: style, maxWidth: width - x)
                if focused && i == multi.cursor { buffer.cursor = Point(x: x + 1, y: y) }
                x += w
            }
            problemRow = y + 1
        case (.note(1), .note(let note)) where !focused:
            if !field.label.isEmpty { buffer.cell(label, x: 0, y: 0, width: labelWidth, style: labelStyle) }
            let first = note.text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let more = note.text.contains("\n") || DisplayWidth.of(first) > widgetWidth ? "…" : ""
            buffer.fill(widgetArea, style: context[.formField])
            if note.text.isEmpty {
                buffer.put(context.strings("form.empty"), x: widgetX, y: 0, style: context[.muted], maxWidth: widgetWidth)
            } else {
                buffer.put(first.clipped(to: widgetWidth - 1) + more, x: widgetX, y: 0, style: context[.formField], maxWidth: widgetWidth)
            }
            problemRow = 1
        case (.note(let lines), .note(let note)):
            buffer.put(label, x: 0, y: 0, style: labelStyle, maxWidth: width)
            let rows = focused ? max(lines, min(12, lines + 4)) : lines
            let box = Rect(x: 1, y: 1, width: width - 2, height: rows + 2)
            buffer.box(box, style: focused ? context[.title] : context[.border])
            note.render(into: &buffer, area: box.inset(dx: 1, dy: 1), style: context[.normal], focused: focused,
                        placeholder: focused ? "" : context.strings("form.empty"), placeholderStyle: context[.muted])
            if focused {
                let count = context.strings("form.characters", ["n": String(note.editor.count)])
                buffer.put(count, x: box.maxX - DisplayWidth.of(count) - 2, y: box.maxY - 1, style: context[.muted])
            }
            problemRow = rows + 3
        case (.rows(let rows), .rows(let value)):
            buffer.put(label, x: 0, y: 0, style: labelStyle, maxWidth: width)
            if value.rows.isEmpty {
                buffer.put(context.strings("form.rows.none"), x: 4, y: 1, style: context[.muted], maxWidth: width - 4)
            }
            for (i, row) in value.rows.enumerated() {
                let summary = rows.summary.map { key -> String in
                    switch row[key] ?? .none {
                    case .choice(let pick):
                        if case .choice(let options)? = rows.fields.first(where: { $0.id == key })?.kind { return pick.label(in: options) ?? "" }
                        return ""
                    case .toggle(let box): return box.checked ? "✓" : ""
                    case .date(let date): return date.field.text
                    case let other: return other.textValue.replacingOccurrences(of: "\n", with: " ")
                    }
                }.filter { !$0.isEmpty }.joined(separator: " · ")
                let selected = focused && i == value.selected
                buffer.cell("\(i + 1). " + (summary.isEmpty ? "…" : summary), x: 4, y: 1 + i, width: width - 5,
                            style: selected ? context[.listSelected] : context[.normal])
                if selected { buffer.cursor = Point(x: 4, y: 1 + i) }
            }
            let hintRow = 1 + max(1, value.rows.count)
            let hint = pendingRemoval == field.id ? context.strings("form.rows.confirmRemove") : context.strings("form.rows.hint")
            if focused || pendingRemoval == field.id {
                buffer.put(hint, x: 4, y: hintRow, style: pendingRemoval == field.id ? context[.statusWarning] : context[.formHint], maxWidth: width - 4)
            }
            if focused && value.rows.isEmpty { buffer.cursor = Point(x: 4, y: 1) }
            problemRow = hintRow + 1
        case (.heading, _):
            buffer.put(field.label, x: 0, y: 1, style: context[.section], maxWidth: width)
        case (.info(let lines), _):
            var y = 0
            for line in lines {
                for part in line.wrapped(to: max(10, width - 4)) {
                    buffer.put(part, x: 2, y: y, style: context[.muted], maxWidth: width - 2)
                    y += 1
                }
                if line.isEmpty { y += 1 }
            }
        default:
            break
        }
        if let problem = problems[field.id], let row = problemRow, row < buffer.height {
            // Under the widget; a problem too long for that starts further left, so it is
            // read whole (a cut-off reason is no reason).
            let text = "✗ " + problem
            let x = DisplayWidth.of(text) <= width - widgetX ? widgetX : max(2, width - DisplayWidth.of(text))
            buffer.put(text, x: x, y: row, style: context[.formFieldError], maxWidth: width - x)
        }
    }
}
