import Foundation
import KithCore
import KithHub
import KithStore
import KithUI

extension LiveEffects {
    /// Sets up the hub after an unlock when this user has one; what to tell them if its
    /// settings don't read.
    func startHub(_ store: Store) -> String? {
        hub?.stop()
        hub = nil
        hubSettings = nil
        hubSchedule = HubSchedule()
        hubStatus = nil
        hubCountDue = true
        do {
            guard let settings = try store.hubSettings() else { return nil }
            let address = try HubAddress.parse(settings.url)
            hubSettings = settings
            hub = HubAgent(address: address, password: settings.password, team: store.user.team.raw)
            return nil
        } catch {
            KithLog.error(error, during: "hub settings")
            return ErrorPresenter.message(error, strings: strings).text
        }
    }

    /// A save: counted as not sent, and sent at the next round.
    func hubSaved() {
        guard hub != nil else { return }
        hubSchedule.saved = true
        hubCountDue = true
    }

    /// Once a second while a hub is set: takes in what the last round brought (merged
    /// through the bundles' merge, settings kept durably), starts the next round when it
    /// is due, and tells the header when what it shows changed.
    func hubTick(now: Double) throws -> [AppMessage] {
        guard let store, let hub, var settings = hubSettings else { return [] }
        var messages: [AppMessage] = []
        var status = hubStatus ?? HubStatus(connection: .online, lastSync: settings.lastSync.map { Double($0) / 1000 }, notSent: 0)
        if let round = hub.takeFinished() {
            if let marks = round.marks { settings.marks = marks }
            if let answer = round.audit {
                try HubSync.settle(answer, store: store, settings: &settings)
                if case .cut = answer { messages += notices() }
            }
            if let pulled = round.pulled {
                let merged = try store.merge(pulled.items)
                settings.cursor = pulled.cursor
                if !merged.isEmpty {
                    messages.append(.hubMerged(rows: store.caseload(), families: merged.families))
                    messages += notices()
                }
            }
            let offline = round.error?.isOffline == true
            // Anything but the network is the hub saying no: a retired login, a push refused.
            let refused = round.error != nil && !offline
            if let error = round.error { KithLog.error(error, during: "sync with the hub") }
            hubSchedule.finished(error: round.error != nil, refused: refused, full: (round.pulled?.count ?? 0) >= HubSync.pullBatch)
            if round.error == nil { settings.lastSync = Int64(now * 1000) }
            if round.marks != nil || round.pulled != nil || round.audit != nil {
                try store.saveHubSettings(settings)
                hubSettings = settings
            }
            status.connection = refused ? .refused : offline ? .offline : .online
            status.lastSync = settings.lastSync.map { Double($0) / 1000 }
            hubCountDue = true
        }
        if !hub.isRunning && hubSchedule.due(at: now, announced: hub.announced > settings.cursor) {
            let outgoing = try store.hubOutgoing(since: settings.marks)
            status.notSent = outgoing.items.count
            hubCountDue = false
            hubSchedule.started(at: now)
            // A trail that can't be read now is anchored next round (`check` names it).
            let proof = try? store.auditProof(at: settings.auditAnchored)
            hub.start(outgoing, author: store.user.id.raw, proof: proof, device: store.device.raw, after: settings.cursor, limit: HubSync.pullBatch)
        } else if hubCountDue && !hub.isRunning {
            status.notSent = try store.hubOutgoing(since: settings.marks).items.count
            hubCountDue = false
        }
        if status != hubStatus {
            hubStatus = status
            messages.append(.hubStatus(status))
        }
        return messages
    }
}
