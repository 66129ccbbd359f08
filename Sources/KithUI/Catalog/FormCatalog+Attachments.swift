import KithCore

extension FormCatalog {
    /// Attaching a file: where it is (typed, or dropped on the terminal) and what it is.
    static func attachFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("explain", "", .info([s("attach.explain", ["limit": s.bytes(Attachment.maximumSize)])])),
            FieldSpec("path", s("field.attach.path"), .text, required: true, hint: s("field.attach.path.hint")),
            FieldSpec("title", s("field.attach.title"), .text, hint: s("field.attach.title.hint")),
        ]
    }

    /// Writing out a copy: where to. Starts in the home folder under the file's own name.
    static func writeAttachmentFields(_ context: AppContext, attachment: Attachment?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("explain", "", .info([attachment.map { describe($0, s) } ?? "", s("attach.writeExplain")])),
            FieldSpec("path", s("field.attach.writeTo"), .text, required: true, hint: s("field.attach.writeTo.hint")),
        ]
    }

    static func writeAttachmentValues(_ attachment: Attachment?, _ context: AppContext) -> [String: FieldValue] {
        ["path": .text("~/" + (attachment?.fileName ?? "attachment"))]
    }

    /// Removing a file: why (kept on the record with who and when).
    static func removeAttachmentFields(_ context: AppContext, attachment: Attachment?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("explain", "", .info([attachment.map { describe($0, s) } ?? "", s("attach.removeExplain")])),
            FieldSpec("reason", s("field.attach.reason"), .note(lines: 3), required: true),
        ]
    }

    /// "Letter from school · letter.pdf · PDF, 1.2 MB".
    static func describe(_ attachment: Attachment, _ s: Strings) -> String {
        "\(attachment.title) · \(attachment.fileName) · \(s(attachment.mediaType.labelKey)), \(s.bytes(attachment.size))"
    }
}
