import BPGradEngine
import CNcurses
import Foundation

/// The terminal's last line of defence: if the process dies of a crash while the screen is up
/// (SIGSEGV, SIGBUS, SIGILL (Swift's traps), SIGTRAP, SIGFPE, SIGABRT, SIGSYS), or of any other
/// signal whose default action ends it (SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
/// SIGXCPU, SIGXFSZ, SIGPIPE, SIGIO, SIGPWR, SIGSTKFLT and the real-time signals; SIGINT,
/// SIGTERM and SIGHUP stop it cleanly instead), the shell gets its terminal back: cooked mode,
/// the main screen, a visible cursor. A signal that is ignored when the screen opens (SIGXFSZ,
/// which `SignalStopper` ignores so a write past `ulimit -f` fails instead) is left alone.
///
/// The handler does only what is async-signal-safe: one write(2) of the terminal's reset
/// sequences (rmcup, cnorm, sgr0, rmkx from terminfo, looked up when the screen opens), one
/// tcsetattr(3) with the modes saved before ncurses started, then it hands the signal on to
/// whoever had it before (Swift's backtracer, which prints the crash report on the restored
/// terminal) or dies of it with the default action. Everything it reads is allocated at
/// `install` and never freed.
enum TerminalRescue {
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGSYS,
                                   SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPIPE,
                                   SIGIO, SIGPWR, SIGSTKFLT]
        + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())

    /// Installs the handlers. `saved` are stdin's modes from before ncurses changed them; call
    /// after the screen is up (the terminfo entry is then loaded).
    static func install(saved: termios) {
        let state = RescueState.shared
        var bytes = [UInt8]()
        for cap in ["rmcup", "cnorm", "sgr0", "rmkx"] {
            guard let s = tigetstr(cap), Int(bitPattern: s) != -1 else { continue }
            bytes += Array(String(cString: s).utf8)
        }
        let count = min(bytes.count, RescueState.capacity)
        for i in 0..<count { state.bytes[i] = bytes[i] }
        state.count = count
        state.termios.pointee = saved
        if state.altStack == nil {
            // A stack overflow on the main thread leaves no stack to run the handler on.
            var current = stack_t()
            sigaltstack(nil, &current)
            if current.ss_flags & Int32(SS_DISABLE) != 0 {
                let size = 64 << 10
                let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                var alt = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
                if sigaltstack(&alt, nil) == 0 { state.altStack = memory } else { memory.deallocate() }
            }
        }
        rescue = state
        state.active.pointee = 1
        for sig in signals where sig > 0 && Int(sig) < RescueState.slots {
            // Ignored now (SIGPIPE by a library, SIGXFSZ by SignalStopper): left ignored, and
            // never handed to the rescue, which would die of it.
            var current = sigaction()
            sigaction(sig, nil, &current)
            if current.sa_flags & SA_SIGINFO == 0, let plain = current.__sigaction_handler.sa_handler,
               unsafeBitCast(plain, to: Int.self) == 1 { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = rescueHandler
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, state.previous + Int(sig))
            state.installed[Int(sig)] = 1
        }
        TestCrashHook.screenIsUp()
    }

    /// The screen closed normally: the previous handlers come back.
    static func uninstall() {
        let state = RescueState.shared
        guard state.active.pointee == 1 else { return }
        state.active.pointee = 0
        for sig in 1..<Int32(RescueState.slots) where state.installed[Int(sig)] == 1 {
            sigaction(sig, state.previous + Int(sig), nil)
            state.installed[Int(sig)] = 0
        }
    }
}

/// What the handler reads, at fixed addresses: allocated once, never moved or freed.
private final class RescueState: @unchecked Sendable {
    static let capacity = 256
    /// Signal numbers on Linux are 1 to 64: the saved actions are indexed by number.
    static let slots = 65
    static let shared = RescueState()

    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    var count = 0
    let termios = UnsafeMutablePointer<Glibc.termios>.allocate(capacity: 1)
    let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: slots)
    /// 1 where the rescue handler is installed.
    let installed = UnsafeMutablePointer<Int32>.allocate(capacity: slots)
    /// 1 while installed; set to 2 by the first handler run, so a second crash does not repeat the reset.
    let active = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    var altStack: UnsafeMutableRawPointer?

    private init() {
        active.initialize(to: 0)
        termios.initialize(to: Glibc.termios())
        previous.initialize(repeating: sigaction(), count: Self.slots)
        installed.initialize(repeating: 0, count: Self.slots)
    }
}

/// The handler's view of the state, fetched while installing so that the handler itself
/// never runs a lazy initialiser.
private nonisolated(unsafe) var rescue: RescueState?

private func rescueHandler(_ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    guard let state = rescue else {
        signal(sig, SIG_DFL)
        raise(sig)
        return
    }
    if state.active.pointee == 1 {
        state.active.pointee = 2
        restoreTerminal(state)
    }
    let index = Int(sig)
    guard index > 0, index < RescueState.slots, state.installed[index] == 1 else { signal(sig, SIG_DFL); raise(sig); return }
    let previous = state.previous[index]
    sigaction(sig, state.previous + index, nil)
    let handler = previous.__sigaction_handler
    if previous.sa_flags & SA_SIGINFO != 0, let chained = handler.sa_sigaction {
        chained(sig, info, context)
        // Swift's crash reporter resumes the other threads before it returns, and the UI
        // thread may have drawn a frame since: put the shell's modes back once more.
        restoreTerminal(state)
    } else if let plain = handler.sa_handler, unsafeBitCast(plain, to: Int.self) > 1 {
        plain(sig)  // neither SIG_DFL (0) nor SIG_IGN (1)
        restoreTerminal(state)
    } else {
        // Default action: raised now, delivered as the handler returns (the signal is blocked
        // until then); a fault that repeats on return dies of the same default.
        signal(sig, SIG_DFL)
        raise(sig)
    }
}

/// The reset sequences, then the shell's modes: a write(2) and a tcsetattr(3), both async-signal-safe.
private func restoreTerminal(_ state: RescueState) {
    _ = write(STDOUT_FILENO, state.bytes, state.count)
    _ = tcsetattr(STDIN_FILENO, TCSANOW, state.termios)
}
