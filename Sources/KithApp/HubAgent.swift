import Dispatch
import KithCore
import KithHub
import KithStore
import Synchronization

/// The team hub while Kith is open. A round — push what the user wrote, then pull what is
/// new — runs on a task of its own, so no key and no save ever waits on the network; the
/// store is touched only on the effect worker, which gathers what goes up before a round
/// and merges what came down after it (`LiveEffects.hubTick`).
///
/// A second connection listens for the hub's word that the team's stream grew
/// (LISTEN/NOTIFY); polling covers a listener that is down.
final class HubAgent: Sendable {
    /// What a round came to.
    struct Round: Sendable {
        var pushed = 0
        /// The marks to keep, once everything that had to go up is on the hub.
        var marks: HubMarks?
        var pulled: HubSync.Pulled?
        /// What the hub said of the audit trail's head.
        var audit: HubSync.AuditAnswer?
        var error: HubError?
    }

    private struct State: Sendable {
        var connection: HubConnection?
        var listener: HubConnection?
        var listening = false
        var running = false
        var finished: Round?
        /// The highest number the hub announced.
        var announced: Int64 = 0
        var stopped = false
    }

    let address: HubAddress
    let password: String
    let team: String
    private let state = Mutex(State())

    init(address: HubAddress, password: String, team: String) {
        self.address = address
        self.password = password
        self.team = team
    }

    var isRunning: Bool { state.withLock { $0.running } }

    /// The listener's connection is up.
    var isListening: Bool { state.withLock { $0.listener != nil } }

    /// The highest entry number the hub announced since Kith opened.
    var announced: Int64 { state.withLock { $0.announced } }

    /// The round that finished, once.
    func takeFinished() -> Round? {
        state.withLock { state in
            defer { state.finished = nil }
            return state.finished
        }
    }

    /// Starts a round: `outgoing` up (as `author`'s), the audit head anchored (`proof`, of
    /// `device`'s trail), then up to `limit` entries after `cursor` down.
    func start(_ outgoing: HubOutgoing, author: String, proof: AuditProof?, device: String, after cursor: Int64, limit: Int) {
        let go = state.withLock { state -> Bool in
            guard !state.running, !state.stopped else { return false }
            state.running = true
            return true
        }
        guard go else { return }
        Task.detached { [self] in
            let round = await self.round(outgoing, author: author, proof: proof, device: device, after: cursor, limit: limit)
            self.state.withLock {
                $0.finished = round
                $0.running = false
            }
        }
    }

    private func round(_ outgoing: HubOutgoing, author: String, proof: AuditProof?, device: String, after cursor: Int64, limit: Int) async -> Round {
        var round = Round()
        do throws(HubError) {
            let connection = try await connected()
            try await HubSync.deactivate(outgoing.retired, on: connection)
            round.pushed = try await HubSync.push(outgoing.items, by: author, to: connection)
            round.marks = outgoing.marks
            if let proof { round.audit = try await HubSync.anchorIfSupported(proof, device: device, on: connection) }
            round.pulled = try await HubSync.pull(connection, after: cursor, limit: limit)
            listen()
        } catch {
            round.error = error
            let dropped = state.withLock { state in
                defer { state.connection = nil }
                return state.connection
            }
            await dropped?.close()
        }
        return round
    }

    /// The open connection, or a new one.
    private func connected() async throws(HubError) -> HubConnection {
        if let open = state.withLock({ $0.connection }), !open.isClosed { return open }
        let connection = try await HubConnection.open(address, password: password)
        let kept = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.connection = connection
            return true
        }
        if !kept {
            await connection.close()
            throw .connectionLost
        }
        return connection
    }

    /// Starts the listener unless it is up.
    private func listen() {
        let go = state.withLock { state -> Bool in
            guard !state.listening, !state.stopped else { return false }
            state.listening = true
            return true
        }
        guard go else { return }
        Task.detached { [self] in
            do throws(HubError) {
                let listener = try await HubConnection.open(self.address, password: self.password)
                let kept = self.state.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.listener = listener
                    return true
                }
                if kept {
                    try await listener.listen(team: self.team) { number in
                        self.state.withLock { $0.announced = max($0.announced, number) }
                    }
                }
                await listener.close()
            } catch {
                // Down: polling carries on, and the next round starts it again.
            }
            self.state.withLock {
                $0.listening = false
                $0.listener = nil
            }
        }
    }

    /// Closes both connections (Kith is quitting or locking the store away); waits at
    /// most two seconds for the server to hear it.
    func stop() {
        let (connection, listener) = state.withLock { state in
            state.stopped = true
            defer {
                state.connection = nil
                state.listener = nil
            }
            return (state.connection, state.listener)
        }
        guard connection != nil || listener != nil else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await connection?.close()
            await listener?.close()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 2)
    }
}
