/// The caseload as a spreadsheet reads it (`kith export caseload --format csv`): one row
/// per family the user may see, with the caseload's columns.
///
/// Safe to open: every cell is one line with no control character (each becomes U+FFFD,
/// as on screen), quoted as RFC 4180 asks, and a cell a spreadsheet would run as a formula
/// — beginning with `=`, `+`, `-` or `@` — starts with an apostrophe instead. A sensitive
/// family is listed (it counts) but never named.
public enum CaseloadExport {
    public static let columns = ["reference", "family", "level", "status", "lead", "coworkers", "nextDue", "nextDueKind",
                                 "overdue", "lastContact", "flags", "conflicts", "sensitive"]

    /// One cell, neutralised and quoted when it needs to be.
    public static func cell(_ text: String) -> String {
        var value = TextSanitizer.line(text)
        if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { value = "'" + value }
        let quoted = value.contains { $0 == "," || $0 == "\"" || $0 == ";" } || value.first?.isWhitespace == true || value.last?.isWhitespace == true
        guard quoted else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The rows as CSV, in reference order, headings in the user's language; lines end CRLF.
    /// `progress` hears (rows done, rows) as it goes.
    public static func csv(_ rows: [CaseloadRow], strings s: Strings, today: Day, name: (User.ID?) -> String,
                           progress: ((Int, Int) -> Void)? = nil) -> String {
        var lines = [columns.map { cell(s("export.column.\($0)")) }.joined(separator: ",")]
        for (n, row) in rows.sorted(by: { $0.reference < $1.reference }).enumerated() {
            if n % 256 == 0 { progress?(n, rows.count) }
            let next = row.nextDue
            let values = [
                row.reference,
                row.damaged ? s("caseload.damaged") : row.sensitive ? s("export.sensitiveName") : row.displayName,
                s(row.serviceLevel.labelKey),
                s(row.status.labelKey),
                name(row.lead),
                row.coworkers.map(name).joined(separator: "; "),
                next?.day.iso ?? "",
                next.map { s("reminder.\($0.kind.rawValue)") } ?? "",
                String(row.overdueCount(today: today)),
                row.lastContact?.iso ?? "",
                String(row.openFlags),
                String(row.conflicts),
                s(row.sensitive ? "export.yes" : "export.no"),
            ]
            lines.append(values.map(cell).joined(separator: ","))
        }
        progress?(rows.count, rows.count)
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
