/// A hybrid logical clock reading: wall-clock milliseconds, a counter for events in the
/// same millisecond (or when the wall clock went backwards), and the device as tie-breaker.
///
/// Readings from one device always increase; readings from different devices order
/// consistently, which is what merging events from several devices needs.
public struct HLC: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var wallMillis: Int64
    public var counter: UInt32
    public var device: Device.ID

    public init(wallMillis: Int64, counter: UInt32, device: Device.ID) {
        self.wallMillis = wallMillis
        self.counter = counter
        self.device = device
    }

    public static func < (lhs: HLC, rhs: HLC) -> Bool {
        (lhs.wallMillis, lhs.counter, lhs.device.raw) < (rhs.wallMillis, rhs.counter, rhs.device.raw)
    }

    /// The next reading after `self` on the same device, given the physical time now.
    public func next(physicalMillis: Int64) -> HLC {
        if physicalMillis > wallMillis {
            return HLC(wallMillis: physicalMillis, counter: 0, device: device)
        }
        return HLC(wallMillis: wallMillis, counter: counter + 1, device: device)
    }

    /// The reading after seeing a remote reading (for merging other devices' events).
    public func receiving(_ remote: HLC, physicalMillis: Int64) -> HLC {
        let wall = max(wallMillis, remote.wallMillis, physicalMillis)
        var count: UInt32 = 0
        if wall == wallMillis && wall == remote.wallMillis {
            count = max(counter, remote.counter) + 1
        } else if wall == wallMillis {
            count = counter + 1
        } else if wall == remote.wallMillis {
            count = remote.counter + 1
        }
        return HLC(wallMillis: wall, counter: count, device: device)
    }

    /// Seconds since 1970 of the wall-clock part.
    public var seconds: Double { Double(wallMillis) / 1000 }

    public var day: Day { Day(secondsSince1970: seconds) }

    public var description: String { "\(wallMillis).\(counter)@\(device.raw)" }
}

/// A laptop or other device holding a copy of the store.
public enum Device {
    public typealias ID = Identifier<Device>
}
