import Crypto
import Foundation
import KithCore

extension Store {
    /// Attaches the file at `path` to a family: read (a regular file no larger than
    /// `Attachment.maximumSize`, of a kind Kith keeps), sealed into the family's log with
    /// its SHA-256, durable on return. Named by `fileName` when given (`path`'s last part
    /// otherwise).
    @discardableResult
    public func attach(path: String, title: String, family id: Family.ID, on day: Day, fileName: String? = nil) throws(StoreError) -> Attachment {
        let name = Attachment.safeFileName(fileName ?? path)
        var info = stat()
        // Errors name the file, not the folders it is in (they may hold a person's name).
        guard stat(path, &info) == 0 else { throw .io(file: name, operation: "stat", reason: FileIO.errnoName(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .attachmentType(file: name) }
        guard Int(info.st_size) <= Attachment.maximumSize else { throw .attachmentTooLarge(file: name, limit: Attachment.maximumSize) }
        let bytes: [UInt8]
        do { bytes = try io.readAll(path) } catch {
            if case .io(_, let operation, let reason) = error { throw .io(file: name, operation: operation, reason: reason) }
            throw .io(file: name, operation: "read", reason: "EACCES")
        }
        return try attach(bytes: bytes, fileName: name, title: title, family: id, on: day)
    }

    /// Attaches `bytes` as a file named `fileName`.
    @discardableResult
    public func attach(bytes: [UInt8], fileName: String, title: String, family id: Family.ID, on day: Day) throws(StoreError) -> Attachment {
        let name = Attachment.safeFileName(fileName)
        guard bytes.count <= Attachment.maximumSize else { throw .attachmentTooLarge(file: name, limit: Attachment.maximumSize) }
        guard let type = Attachment.MediaType.detect(bytes, fileName: name) else { throw .attachmentType(file: name) }
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let attachment = Attachment(id: ids.id(), familyID: id, title: trimmed.isEmpty ? name : trimmed, fileName: name, mediaType: type,
                                    size: bytes.count, sha256: Store.sha256(bytes), content: Data(bytes).base64EncodedString(), addedOn: day)
        try save([attachment], family: id)
        return attachment
    }

    /// The bytes of an attachment, checked against the SHA-256 recorded with them.
    public func attachmentBytes(_ attachmentID: Attachment.ID, family id: Family.ID) throws(StoreError) -> (Attachment, [UInt8]) {
        let file = try readCase(id)
        guard let attachment = file.attachments[attachmentID], !attachment.isRemoved else { throw .attachmentRemoved(id: attachmentID.raw) }
        guard let data = Data(base64Encoded: attachment.content), data.count == attachment.size, Store.sha256(Array(data)) == attachment.sha256 else {
            throw .corrupt(file: "families/\(id.raw).log", detail: "attachment \(attachmentID.raw) does not match its SHA-256")
        }
        return (attachment, Array(data))
    }

    /// Writes a decrypted copy of an attachment to `path` (0600, replacing a regular file
    /// there atomically), recorded in the family's history and the audit trail first.
    public func writeAttachment(_ attachmentID: Attachment.ID, family id: Family.ID, to path: String) throws(StoreError) {
        let (attachment, bytes) = try attachmentBytes(attachmentID, family: id)
        try recordOutput(.export, of: attachment.ref, family: id, format: "file")
        try FileIO(root: layout.root).writeForPerson(path, bytes)
    }

    /// Removes an attachment from use: who, when and why are recorded on it; it is no
    /// longer written out. Its bytes stay in the family's sealed history (as every change
    /// does) until the family's record is removed under the retention rule.
    public func removeAttachment(_ attachmentID: Attachment.ID, family id: Family.ID, reason: String, on day: Day) throws(StoreError) {
        let file = try readCase(id)
        guard var attachment = file.attachments[attachmentID], !attachment.isRemoved else { throw .attachmentRemoved(id: attachmentID.raw) }
        attachment.removedOn = day
        attachment.removedBy = user.id
        attachment.removalReason = reason
        try save([attachment], family: id)
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexString
    }
}
