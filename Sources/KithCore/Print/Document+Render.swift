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
                out += textTable(headers: headers, rows: rows, width: width)
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

    /// One self-contained HTML file that prints well on A4 (no scripts, no external files):
    /// page numbers, and the title and family at the top of every page after the first.
    public func html() -> String {
        Document.page(title: title, language: language, running: running, pageLabel: pageLabel, body: htmlBody())
    }

    /// Two languages side by side on each page (as Welsh public bodies publish): `left`
    /// (Welsh) and `right` (English) are the same record in each language.
    public static func bilingualHTML(_ left: Document, _ right: Document) -> String {
        let body = "<div class=\"two\"><section lang=\"\(left.language.rawValue)\">\(left.htmlBody())</section>"
            + "<section lang=\"\(right.language.rawValue)\">\(right.htmlBody())</section></div>"
        return page(title: "\(left.title) / \(right.title)", language: left.language, running: "\(left.running) / \(right.running)",
                    pageLabel: left.pageLabel, body: body, twoColumns: true)
    }

    /// Both languages one after the other, for text and Markdown.
    public static func bilingualText(_ first: String, _ second: String) -> String {
        first + "\n" + String(repeating: "~", count: 40) + "\n\n" + second
    }

    func htmlBody() -> String {
        var body: [String] = ["<h1 dir=\"auto\">\(escapeHTML(title))</h1>"]
        if !subtitle.isEmpty { body.append("<p class=\"subtitle\" dir=\"auto\">\(escapeHTML(subtitle))</p>") }
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
        return body.joined(separator: "\n")
    }

    static func page(title: String, language: Strings.Language, running: String, pageLabel: String, body: String, twoColumns: Bool = false) -> String {
        // "Page {page} of {pages}" becomes CSS: "Page " counter(page) " of " counter(pages).
        let pages = cssString(pageLabel).replacingOccurrences(of: "{page}", with: "\" counter(page) \"")
            .replacingOccurrences(of: "{pages}", with: "\" counter(pages) \"")
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <title>\(escapeHTML(title))</title>
        <style>
        @page { size: A4; margin: 18mm 16mm 20mm; @bottom-center { content: \(pages); font-size: 10pt; } @top-left { content: \(cssString(running)); font-size: 10pt; color: #333; } }
        @page :first { @top-left { content: none; } }
        body { font-family: "Atkinson Hyperlegible", Verdana, "DejaVu Sans", sans-serif; font-size: \(twoColumns ? "10.5pt" : "12pt"); line-height: 1.45; color: #111; max-width: 178mm; margin: 0 auto; }
        h1 { font-size: \(twoColumns ? "16pt" : "20pt"); margin: 0 0 2mm; }
        .subtitle { color: #333; margin: 0 0 6mm; }
        h2 { font-size: \(twoColumns ? "12pt" : "14pt"); margin: 6mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; page-break-after: avoid; }
        dl { display: grid; grid-template-columns: \(twoColumns ? "30mm" : "45mm") 1fr; gap: 1mm 4mm; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        ul { padding-left: 6mm; }
        li { margin: 1mm 0; break-inside: avoid; }
        table { border-collapse: collapse; width: 100%; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
        .bars th { width: \(twoColumns ? "35mm" : "55mm"); } .bar { display: inline-block; height: 4mm; background: #666; }
        .bar.concern { background: #b33; } .bar.middle { background: #c90; } .bar.strength { background: #393; }
        .callout { border: 2px solid #111; padding: 2mm 4mm; margin: 5mm 0; break-inside: avoid; page-break-inside: avoid; }
        .callout h2 { border: none; margin-top: 1mm; }
        .note { color: #333; font-size: 10pt; }
        .two { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}

/// A CSS string literal (quotes, backslashes and line breaks escaped).
private func cssString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"", "\\": out += "\\" + String(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\\(String(scalar.value, radix: 16)) "
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// A table as aligned plain-text columns; too wide for `width`, each row as labelled lines.
private func textTable(headers: [String], rows: [[String]], width: Int) -> [String] {
    let columns = headers.count
    let widths = (0..<columns).map { c in ([headers] + rows).map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    if widths.reduce(0, +) + 2 * (columns - 1) <= width {
        let line = { (cells: [String]) in
            (0..<columns).map { c in pad(c < cells.count ? cells[c] : "", widths[c]) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return [line(headers), (0..<columns).map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  ")] + rows.map(line)
    }
    let labelWidth = min(20, (headers.map(\.count).max() ?? 0) + 1)
    var out: [String] = []
    for row in rows {
        out.append("")
        for (c, header) in headers.enumerated() where c < row.count && !row[c].isEmpty {
            let lines = wrap(row[c], max(20, width - labelWidth - 3))
            out.append("  " + pad(header + ":", labelWidth) + " " + (lines.first ?? ""))
            for line in lines.dropFirst() { out.append(String(repeating: " ", count: labelWidth + 3) + line) }
        }
    }
    return out
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
