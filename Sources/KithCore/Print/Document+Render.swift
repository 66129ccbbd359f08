import Foundation

extension Document {
    /// Plain text, wrapped to `width` columns (for `--format txt` and screens).
    public func plainText(width: Int = 78) -> String {
        var out: [String] = [title]
        out.append(String(repeating: "=", count: min(width, max(4, title.count))))
        if !subtitle.isEmpty { out.append(subtitle) }
        for block in blocks {
            switch block {
            case .heading(let text):
                out += ["", text, String(repeating: "-", count: min(width, max(4, text.count)))]
            case .paragraph(let text):
                for paragraph in text.components(separatedBy: "\n") { out += wrap(paragraph, width) }
            case .fields(let fields):
                let labelWidth = min(24, (fields.map { $0.label.count }.max() ?? 0) + 1)
                for field in fields {
                    let lines = wrap(field.value, max(20, width - labelWidth - 2))
                    out.append(pad(field.label + ":", labelWidth) + " " + (lines.first ?? ""))
                    for line in lines.dropFirst() { out.append(String(repeating: " ", count: labelWidth + 1) + line) }
                }
            case .list(let items):
                for item in items {
                    let lines = wrap(item, width - 4)
                    out.append("  • " + (lines.first ?? ""))
                    for line in lines.dropFirst() { out.append("    " + line) }
                }
            case .table(let headers, let rows):
                out.append(headers.joined(separator: " | "))
                for row in rows { out.append(row.joined(separator: " | ")) }
            case .note(let text):
                out += [""] + wrap(text, width)
            case .bars(let bars):
                let labelWidth = min(28, (bars.map { $0.label.count }.max() ?? 0) + 1)
                for bar in bars {
                    let filled = Int(((bar.fraction ?? 0) * 20).rounded())
                    let meter = bar.fraction == nil ? String(repeating: "·", count: 20) : String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled)
                    out.append(pad(bar.label, labelWidth) + " " + meter + " " + bar.text)
                }
            case .callout(let title, let lines):
                out += ["", "*** " + title + " ***"]
                for line in lines { out += wrap(line, width - 2).map { "  " + $0 } }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Markdown (CommonMark), for `--format md`.
    public func markdown() -> String {
        var out: [String] = ["# \(escapeMarkdown(title))"]
        if !subtitle.isEmpty { out += ["", "_\(escapeMarkdown(subtitle))_"] }
        for block in blocks {
            out.append("")
            switch block {
            case .heading(let text): out.append("## \(escapeMarkdown(text))")
            case .paragraph(let text): out.append(text.components(separatedBy: "\n").map(escapeMarkdown).joined(separator: "  \n"))
            case .fields(let fields): out += fields.map { "- **\(escapeMarkdown($0.label)):** \(escapeMarkdown($0.value))" }
            case .list(let items): out += items.map { "- \(escapeMarkdown($0))" }
            case .table(let headers, let rows):
                out.append("| " + headers.map(escapeMarkdown).joined(separator: " | ") + " |")
                out.append("|" + String(repeating: " --- |", count: headers.count))
                out += rows.map { "| " + $0.map(escapeMarkdown).joined(separator: " | ") + " |" }
            case .note(let text): out.append("_\(escapeMarkdown(text))_")
            case .bars(let bars): out += bars.map { "- \(escapeMarkdown($0.label)): \(escapeMarkdown($0.text))" }
            case .callout(let title, let lines):
                out.append("> **\(escapeMarkdown(title))**")
                out += lines.map { "> \(escapeMarkdown($0))  " }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One self-contained HTML file that prints well on A4 (no scripts, no external files).
    public func html() -> String {
        var body: [String] = []
        for block in blocks {
            switch block {
            case .heading(let text): body.append("<h2>\(escapeHTML(text))</h2>")
            case .paragraph(let text): body.append("<p dir=\"auto\">" + text.components(separatedBy: "\n").map(escapeHTML).joined(separator: "<br>") + "</p>")
            case .fields(let fields):
                body.append("<dl>" + fields.map { "<dt>\(escapeHTML($0.label))</dt><dd dir=\"auto\">\(escapeHTML($0.value))</dd>" }.joined() + "</dl>")
            case .list(let items): body.append("<ul>" + items.map { "<li dir=\"auto\">\(escapeHTML($0))</li>" }.joined() + "</ul>")
            case .table(let headers, let rows):
                body.append("<table><thead><tr>" + headers.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>"
                            + rows.map { "<tr>" + $0.map { "<td dir=\"auto\">\(escapeHTML($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>")
            case .note(let text): body.append("<p class=\"note\">\(escapeHTML(text))</p>")
            case .bars(let bars):
                body.append("<table class=\"bars\">" + bars.map { bar in
                    let width = Int(((bar.fraction ?? 0) * 100).rounded())
                    return "<tr><th>\(escapeHTML(bar.label))</th><td><span class=\"bar \(bar.band?.rawValue ?? "none")\" style=\"width:\(width)%\"></span></td><td>\(escapeHTML(bar.text))</td></tr>"
                }.joined() + "</table>")
            case .callout(let title, let lines):
                body.append("<div class=\"callout\"><h2>\(escapeHTML(title))</h2>" + lines.map { "<p dir=\"auto\">\(escapeHTML($0))</p>" }.joined() + "</div>")
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <title>\(escapeHTML(title))</title>
        <style>
        @page { size: A4; margin: 18mm 16mm; }
        body { font-family: "Atkinson Hyperlegible", Verdana, "DejaVu Sans", sans-serif; font-size: 12pt; line-height: 1.45; color: #111; max-width: 178mm; margin: 0 auto; }
        h1 { font-size: 20pt; margin: 0 0 2mm; }
        .subtitle { color: #444; margin: 0 0 6mm; }
        h2 { font-size: 14pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; page-break-after: avoid; }
        dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        ul { padding-left: 6mm; }
        li { margin: 1mm 0; }
        table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
        th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
        .bars th { width: 55mm; } .bar { display: inline-block; height: 4mm; background: #666; }
        .bar.concern { background: #b33; } .bar.middle { background: #c90; } .bar.strength { background: #393; }
        .callout { border: 2px solid #111; padding: 2mm 4mm; margin: 6mm 0; page-break-inside: avoid; }
        .callout h2 { border: none; margin-top: 1mm; }
        .note { color: #444; font-size: 10pt; }
        </style>
        </head>
        <body>
        <h1 dir="auto">\(escapeHTML(title))</h1>
        \(subtitle.isEmpty ? "" : "<p class=\"subtitle\" dir=\"auto\">\(escapeHTML(subtitle))</p>")
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

private func wrap(_ text: String, _ width: Int) -> [String] {
    guard !text.isEmpty else { return [""] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if line.isEmpty {
            line = String(word)
        } else if line.count + 1 + word.count <= width {
            line += " " + word
        } else {
            lines.append(line)
            line = String(word)
        }
    }
    lines.append(line)
    return lines
}

func escapeHTML(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters never reach a printout.
            if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out
}

func escapeMarkdown(_ text: String) -> String {
    var out = ""
    for character in text {
        if "\\`*_{}[]<>#|!".contains(character) { out.append("\\") }
        if let scalar = character.unicodeScalars.first, scalar.value < 0x20 && character != "\n" { out.append("\u{FFFD}"); continue }
        out.append(character)
    }
    return out
}
