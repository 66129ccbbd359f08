import Synchronization

/// Where every new id comes from: records, drafts, events, requests. One source per
/// session, handed to whoever makes ids (the app context, the store).
///
/// The app uses the system's randomness, so ids made on two laptops in the same
/// millisecond are as unlikely to meet as 80 random bits allow; tests and the demo use a
/// seeded generator, so they repeat. A class, so every copy of a context draws from the
/// same stream and no two screens can be handed the same sequence.
public final class IDSource: RandomNumberGenerator, Sendable {
    private enum Generator {
        case system
        case seeded(SeededGenerator)
    }

    private let generator: Mutex<Generator>

    private init(_ generator: Generator) {
        self.generator = Mutex(generator)
    }

    /// Ids from the operating system's random source (`getrandom`).
    public static func system() -> IDSource { IDSource(.system) }

    /// Ids that repeat for a seed (tests and the demo only).
    public static func seeded(_ seed: UInt64) -> IDSource { IDSource(.seeded(SeededGenerator(seed: seed))) }

    public func next() -> UInt64 {
        generator.withLock { generator in
            switch generator {
            case .system:
                var system = SystemRandomNumberGenerator()
                return system.next()
            case .seeded(var seeded):
                let value = seeded.next()
                generator = .seeded(seeded)
                return value
            }
        }
    }

    /// A new id of any kind.
    public func id<Tag>(_ type: Identifier<Tag>.Type = Identifier<Tag>.self) -> Identifier<Tag> {
        var source = self
        return .random(using: &source)
    }

    /// A new id as text of `count` base32 characters, after `prefix` (drafts, requests, rows).
    public func text(_ prefix: String = "", count: Int) -> String {
        var source = self
        return prefix + Base32.random(count: count, using: &source)
    }
}
