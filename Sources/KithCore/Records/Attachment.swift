/// A file kept with the family's record: a scanned letter, a signed plan, a child's
/// drawing. Its bytes travel inside the record (sealed with the family's key like every
/// other field, and synced with it); what it is, its size and a SHA-256 of its bytes sit
/// beside them so a copy written out can be checked. Never edited; removing it records
/// who removed it, when and why, after which Kith no longer writes it out.
public struct Attachment: FamilyScoped {
    public typealias ID = Identifier<Attachment>
    public static let kind = RecordKind.attachment

    public var id: ID
    public var familyID: Family.ID
    /// What it is, in the worker's words ("Letter from school, March").
    public var title: String
    /// The file's name as it was attached (its last path component, made safe).
    public var fileName: String
    public var mediaType: MediaType
    public var size: Int
    /// Lower-case hex SHA-256 of the bytes.
    public var sha256: String
    /// The bytes, base64.
    public var content: String
    public var addedOn: Day
    public var removedOn: Day?
    public var removedBy: User.ID?
    public var removalReason: String?

    public init(id: ID, familyID: Family.ID, title: String, fileName: String, mediaType: MediaType, size: Int, sha256: String, content: String,
                addedOn: Day, removedOn: Day? = nil, removedBy: User.ID? = nil, removalReason: String? = nil) {
        self.id = id
        self.familyID = familyID
        self.title = title
        self.fileName = fileName
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.content = content
        self.addedOn = addedOn
        self.removedOn = removedOn
        self.removedBy = removedBy
        self.removalReason = removalReason
    }

    public var entityID: String { id.raw }
    public var isRemoved: Bool { removedOn != nil }

    /// The largest file Kith keeps (a scanned letter or a phone photo fits; a video does not).
    public static let maximumSize = 8 * 1024 * 1024

    /// The kinds of file Kith keeps: documents and pictures, never programs.
    public enum MediaType: String, Codable, Sendable, Labelled {
        case pdf, png, jpeg, gif, tiff, webp, heic, text, word, openDocument, rtf
        public static let labelPrefix = "mediaType"

        /// The usual extension, for a copy written out without one.
        public var fileExtension: String {
            switch self {
            case .pdf: "pdf"
            case .png: "png"
            case .jpeg: "jpg"
            case .gif: "gif"
            case .tiff: "tif"
            case .webp: "webp"
            case .heic: "heic"
            case .text: "txt"
            case .word: "docx"
            case .openDocument: "odt"
            case .rtf: "rtf"
            }
        }

        /// What the bytes are, by their first bytes where the format has a signature, else
        /// by the name's extension (Word and OpenDocument files are zip archives, told
        /// apart by name); nil for anything else, programs and archives included.
        public static func detect(_ bytes: [UInt8], fileName: String) -> MediaType? {
            func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
                bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
            }
            let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
            if starts(Array("%PDF-".utf8)) { return .pdf }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
            if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
            if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
            if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
            if starts(Array("ftyp".utf8), at: 4) && ["heic", "heif"].contains(ext) { return .heic }
            if starts(Array("{\\rtf".utf8)) { return .rtf }
            if starts([0x50, 0x4B, 0x03, 0x04]) {
                if ext == "docx" { return .word }
                if ["odt", "ods", "odp"].contains(ext) { return .openDocument }
                return nil
            }
            if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) && ext == "doc" { return .word }
            if ["txt", "text", "md", "csv"].contains(ext) || ext == fileName.lowercased() {
                // Text: valid UTF-8 with no NUL and no control characters but tab and line ends.
                guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
                let allowed: Set<Unicode.Scalar> = ["\t", "\n", "\r"]
                return text.unicodeScalars.contains { $0.value < 0x20 && !allowed.contains($0) || $0.value == 0x7F } ? nil : .text
            }
            return nil
        }
    }

    /// `name`'s last path component, with control characters, separators and leading dots
    /// taken out, at most 120 characters; "attachment" when nothing is left.
    public static func safeFileName(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { scalar in
            !(scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "\\"
              || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value))
        }))
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        cleaned = String(cleaned.prefix(120)).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "attachment" : cleaned
    }
}
