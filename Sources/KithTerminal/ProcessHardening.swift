import CNcursesw

/// Process-wide protections for a program that holds keys to case records.
public enum ProcessHardening {
    /// No core dumps (RLIMIT_CORE 0) and not dumpable (PR_SET_DUMPABLE 0): a crash leaves
    /// no copy of memory, and a debugger of the same user can't attach. False if either failed.
    public static func forbidDumps() -> Bool { kith_forbid_dumps() == 0 }
}
