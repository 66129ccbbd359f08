#if canImport(Glibc)
import Glibc
#endif
import KithFuzzTargets

/// libFuzzer's entry point (built with `-sanitize=fuzzer -parse-as-library -DKITH_FUZZING`,
/// see `.ci/fuzz`); the target is named by `KITH_FUZZ_TARGET`. Built plainly, as part of
/// the package, this file declares functions nobody calls and the program does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func kithFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let target = getenv("KITH_FUZZ_TARGET").map { String(cString: $0) } ?? "toml"
    FuzzTargets.run(target, Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}

/// Called once by libFuzzer before fuzzing: with `KITH_FUZZ_SEEDS_TO=DIR`, writes the
/// target's generated seeds into DIR (a second corpus directory for the run).
@_cdecl("LLVMFuzzerInitialize")
public func kithFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard let directory = getenv("KITH_FUZZ_SEEDS_TO").map({ String(cString: $0) }) else { return 0 }
    let target = getenv("KITH_FUZZ_TARGET").map { String(cString: $0) } ?? "toml"
    for (n, seed) in (FuzzTargets.seeds()[target] ?? []).enumerated() {
        guard let file = fopen("\(directory)/seed-\(n)", "wb") else { continue }
        _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    return 0
}

#if KITH_FUZZING
/// SwiftPM links an executable's `main` to `<module>_main`; with no top-level code
/// (`-parse-as-library`) that is this function, which hands over to libFuzzer's driver.
@_cdecl("kith_fuzz_main")
public func kithFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        kithFuzz(UnsafeRawPointer(data ?? UnsafePointer(bitPattern: 1)!), size)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
