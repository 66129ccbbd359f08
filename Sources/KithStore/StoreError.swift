/// Everything that can go wrong in the store. Cases carry file names (relative to the
/// store), record ids and field names — never names, notes or other case content.
public enum StoreError: Error, Equatable, Sendable {
    /// No store exists at the path.
    case noStore(path: String)
    /// A store already exists where one was to be created.
    case alreadyExists(path: String)
    /// The passphrase does not open this user's key slot. Nothing was changed.
    case wrongPassphrase(login: String)
    /// The user's key slot is damaged in both copies of `keys.json` (not a wrong passphrase).
    case keySlotDamaged(login: String)
    /// No user with this login holds a key slot.
    case unknownUser(login: String)
    /// Another process has the store open for writing.
    case locked(path: String, pid: Int32?)
    /// The directory cannot be written (read-only, or permissions).
    case notWritable(path: String)
    /// The disk is full (or the user's quota reached): nothing was written to `file`.
    case diskFull(file: String)
    /// An append failed and the file could not be cut back to its old length; the store
    /// reads the file again (repairing its tail) before the next write to it.
    case appendNotUndone(file: String)
    /// A file operation failed: which file, which operation, the errno text.
    case io(file: String, operation: String, reason: String)
    /// A file is damaged (failed authentication or structure): set aside and reported.
    case corrupt(file: String, detail: String)
    /// A family's log is missing or damaged; the rest of the store works (`kith repair`).
    case familyDamaged(reference: String)
    /// A file is not a Kith file of the expected kind.
    case foreign(file: String)
    /// The store was written by a newer Kith.
    case newerSchema(found: Int, supported: Int)
    /// The user may not see or change this family.
    case accessDenied(family: String)
    /// The record is immutable once saved (completed assessments, contact notes): add an addendum.
    case immutable(record: String)
    /// The family does not exist in this store.
    case noSuchFamily(id: String)
    /// Sharing a family's records with another agency needs the family's consent to share
    /// with it, in force today; none is recorded (`reference` is the family's).
    case noConsentToShare(reference: String)
    /// A file to attach is larger than Kith keeps (`limit` bytes).
    case attachmentTooLarge(file: String, limit: Int)
    /// A file to attach is not a document or picture Kith keeps (or is not a file at all).
    case attachmentType(file: String)
    /// The attachment was removed (or never was): nothing is written out.
    case attachmentRemoved(id: String)
    /// A passphrase that is too short to protect children's data.
    case weakPassphrase(minimum: Int)
    /// A new passphrase anyone guessing would try early (`PassphrasePolicy.Problem`).
    case guessablePassphrase(reason: String)
    /// The operation needs a role the user does not have. `action` is a key (`closeCase`,
    /// `repair`…); the message comes from the string table (`error.notPermitted.<action>`).
    case notPermitted(action: String)
    /// A login that is already taken.
    case duplicateLogin(login: String)
    /// The conflict was settled meanwhile (on this laptop or another): nothing was written.
    case conflictSettled(record: String, field: String)
    /// A value written to settle a conflict is not one the field can hold (a date that
    /// isn't one): nothing was written.
    case invalidValue(record: String, field: String)
    /// A bundle was refused whole (`reason`: a `BundleRefusal`); nothing in it was taken in.
    case bundleRefused(file: String, reason: String)
    /// A join file didn't open (`reason`: notAJoinFile, wrongCode, damaged); nothing was made.
    case joinRefused(reason: String)
}

extension StoreError {
    /// Runs `body` and returns its error as a value, for a failure that needs clean-up
    /// which can itself fail, before the original error is thrown.
    static func capture(_ body: () throws(StoreError) -> Void) -> StoreError? {
        do { try body() } catch { return error }
        return nil
    }
}

/// Problems found while reading that did not stop the store from working.
public struct StoreProblem: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// A crash left a partial entry at the end of a log; it was cut off (it was never acknowledged).
        case tornTailRepaired
        /// Entries failed authentication; the file was copied to quarantine/ and rewritten without them.
        case corruptEntriesSetAside
        /// The whole file is unreadable or foreign; moved to quarantine/.
        case fileSetAside
        /// A log is shorter than the index recorded: acknowledged entries may be missing.
        case truncated
        /// The audit chain does not verify.
        case auditChainBroken
        /// The index was missing or stale and was rebuilt.
        case indexRebuilt
        /// A record could not be read as its type.
        case unreadableRecord
        /// A file's header was damaged; its entries were intact and the header was rewritten.
        case headerRepaired
        /// One of the two copies of a store file was missing or damaged and was rewritten from the other.
        case copyRepaired
        /// A family the store holds has no readable log: restore it or accept the loss (`kith repair`).
        case familyMissing
        /// Families registered on the team whose entries haven't reached this laptop yet
        /// (it joined without the caseload): the next sync brings them. Not a fault.
        case familiesAwaited
        /// Audit entries the anchor witnessed are gone from the audit trail (cut, deleted or
        /// replaced by an older copy); reported until a team lead accepts it (`kith repair`).
        case auditTrailCut
        /// What a command beside Kith recorded could not be taken in yet; it is kept in
        /// outbox/ and tried again at the next unlock.
        case outboxWaiting
        /// A log entry whose signature or signer's rights don't check out was not applied
        /// (`detail`: "N|reason", the entry and a `Refusal`).
        case entryRefused
        /// An entry by someone who had been taken off the family when it is dated (`detail`:
        /// "N|user"): it counts — their laptop may not have heard yet — and is named.
        case writtenAfterRemoval
    }

    public var kind: Kind
    public var file: String
    public var detail: String

    public init(_ kind: Kind, file: String, detail: String = "") {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    /// Serious problems make `kith check` fail; a repaired torn tail is routine.
    public var isSerious: Bool { kind != .tornTailRepaired && kind != .indexRebuilt && kind != .writtenAfterRemoval && kind != .familiesAwaited }

    public var description: String { "\(kind.rawValue): \(file)\(detail.isEmpty ? "" : " (\(detail))")" }
}
