import CBLAS
import Foundation

/// Makes sure OpenBLAS runs its kernels for this CPU.
///
/// OpenBLAS picks its kernels when it loads, from the CPU model. Debian's 0.3.21 does not
/// know recent Xeons (Sapphire and Emerald Rapids) and falls back to its generic "Prescott"
/// SSE3 kernels, five times slower than the AVX-512 ones on the same machine. When that
/// happened, and the user has not chosen a core with OPENBLAS_CORETYPE, the executable
/// restarts itself once with the core that matches the CPU's instruction set.
public enum BLASKernel {
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The OpenBLAS core to ask for on this CPU, or nil when OpenBLAS's own choice stands.
    public static func preferredCore(flags: Set<String>, current: String) -> String? {
        let generic = ["Prescott", "Core2", "Nehalem", "Katmai", "Coppermine", "Northwood", "Banias", "unknown"]
        guard generic.contains(current) else { return nil }
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Re-executes the current program with OPENBLAS_CORETYPE set, when that helps. Call first
    /// thing in `main`, before any thread starts. Returns only when no restart is needed.
    public static func restartWithBestCoreIfNeeded() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env["BPGRAD_TUI_BLAS_RESTARTED"] == nil,
              let core = preferredCore(flags: cpuFlags(), current: coreName) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("BPGRAD_TUI_BLAS_RESTARTED", "1", 1)
        let args = CommandLine.arguments.map { strdup($0) } + [nil]
        // The resolved path, not /proc/self/exe itself, so the process keeps its name ("exe" otherwise).
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(path, args)
        // execv returned: carry on with the generic kernels rather than fail.
    }
}
