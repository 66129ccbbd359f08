/// Semantic roles that themes map to colours. Dotted names fall back to their parent
/// (`list.selected` → `list` → `normal`), so a theme can be short.
public enum Role: String, Sendable, CaseIterable {
    case normal
    case muted
    case title
    case border
    case header
    case headerDemo = "header.demo"
    case listHeader = "list.header"
    case listHeaderSorted = "list.header.sorted"
    case listSelected = "list.selected"
    case formLabel = "form.label"
    case formField = "form.field"
    case formFieldFocused = "form.field.focused"
    case formFieldError = "form.field.error"
    case formHint = "form.hint"
    case statusInfo = "status.info"
    case statusWarning = "status.warning"
    case statusError = "status.error"
    case footer
    case footerKey = "footer.key"
    case dialog
    case dialogTitle = "dialog.title"
    case helpKey = "help.key"
    case badgeOverdue = "badge.overdue"
    case badgeSoon = "badge.soon"
    case badgeFlag = "badge.flag"
    case badgeSensitive = "badge.sensitive"
    case ratingOption = "rating.option"
    case ratingSelected = "rating.selected"
    case ratingPrevious = "rating.previous"
    case barConcern = "bar.concern"
    case barMiddle = "bar.middle"
    case barStrength = "bar.strength"
    case changeBetter = "change.better"
    case changeWorse = "change.worse"
    case section
    case sectionFocused = "section.focused"

    /// The role this one falls back to when a theme does not define it.
    public var parentPath: String? {
        guard let dot = rawValue.lastIndex(of: ".") else { return rawValue == "normal" ? nil : "normal" }
        return String(rawValue[..<dot])
    }
}
