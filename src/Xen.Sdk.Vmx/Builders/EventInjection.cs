using Xen.Sdk.Vmx.Exits;

namespace Xen.Sdk.Vmx;

/// <summary>
/// An event to inject on the next VM entry: the VM-entry interruption-information field, exception error
/// code and instruction length (Intel SDM Vol. 3C §25.8.3, §27.6). Build with the factory methods, then
/// <see cref="WriteTo{TVmcs}"/>. The entry checker validates the same rules (§27.2.1.3).
/// </summary>
public readonly struct EventInjection : System.IEquatable<EventInjection>
{
    /// <summary>Creates the value.</summary>
    /// <param name="info">Interruption information (valid bit set).</param>
    /// <param name="errorCode">Exception error code (used when <see cref="InterruptionInfo.ErrorCodeValid"/>).</param>
    /// <param name="instructionLength">Instruction length for software interrupts and exceptions.</param>
    public EventInjection(InterruptionInfo info, uint errorCode, uint instructionLength)
    {
        Info = info;
        ErrorCode = errorCode;
        InstructionLength = instructionLength;
    }

    /// <summary>Interruption information (valid bit set).</summary>
    public InterruptionInfo Info { get; }

    /// <summary>Exception error code (used when <see cref="InterruptionInfo.ErrorCodeValid"/>).</summary>
    public uint ErrorCode { get; }

    /// <summary>Instruction length for software interrupts and exceptions.</summary>
    public uint InstructionLength { get; }

    /// <inheritdoc/>
    public bool Equals(EventInjection other) => Info.Equals(other.Info) && ErrorCode == other.ErrorCode && InstructionLength == other.InstructionLength;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EventInjection other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((Info.GetHashCode()) * 31 + (ErrorCode.GetHashCode()) * 31 + (InstructionLength.GetHashCode()));

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EventInjection left, EventInjection right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(EventInjection left, EventInjection right) => !left.Equals(right);


    /// <summary>Exception vectors that push an error code in protected mode (Intel SDM Vol. 3A §6.13, Table 6-1).</summary>
    /// <param name="vector">Vector.</param>
    /// <param name="cet">True when the processor supports CET (then #CP, vector 21, pushes one too).</param>
    /// <returns>True for #DF, #TS, #NP, #SS, #GP, #PF, #AC (and #CP with CET).</returns>
    public static bool PushesErrorCode(byte vector, bool cet = false) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17 || (cet && vector == 21);

    /// <summary>External interrupt.</summary>
    /// <param name="vector">Vector (32-255).</param>
    /// <returns>The event.</returns>
    public static EventInjection ExternalInterrupt(byte vector) => new(InterruptionInfo.Create(vector, InterruptionType.ExternalInterrupt, false), 0, 0);

    /// <summary>Non-maskable interrupt (vector 2).</summary>
    /// <returns>The event.</returns>
    public static EventInjection Nmi() => new(InterruptionInfo.Create(2, InterruptionType.Nmi, false), 0, 0);

    /// <summary>Hardware exception; the error code is delivered when the vector pushes one and <paramref name="protectedMode"/>.</summary>
    /// <param name="vector">Vector (0-31).</param>
    /// <param name="errorCode">Error code.</param>
    /// <param name="protectedMode">Guest CR0.PE (real-mode guests get no error code).</param>
    /// <param name="cet">True when the processor supports CET (#CP pushes an error code).</param>
    /// <returns>The event.</returns>
    public static EventInjection HardwareException(byte vector, uint errorCode = 0, bool protectedMode = true, bool cet = false)
    {
        bool code = protectedMode && PushesErrorCode(vector, cet);
        return new(InterruptionInfo.Create(vector, InterruptionType.HardwareException, code), code ? errorCode : 0, 0);
    }

    /// <summary>Software interrupt (INT n) of the given instruction length.</summary>
    /// <param name="vector">Vector.</param>
    /// <param name="instructionLength">Length of the INT instruction (1-15).</param>
    /// <returns>The event.</returns>
    public static EventInjection SoftwareInterrupt(byte vector, uint instructionLength) => new(InterruptionInfo.Create(vector, InterruptionType.SoftwareInterrupt, false), 0, instructionLength);

    /// <summary>Software exception (INT3 = vector 3, INTO = vector 4).</summary>
    /// <param name="vector">Vector.</param>
    /// <param name="instructionLength">Instruction length.</param>
    /// <returns>The event.</returns>
    public static EventInjection SoftwareException(byte vector, uint instructionLength) => new(InterruptionInfo.Create(vector, InterruptionType.SoftwareException, false), 0, instructionLength);

    /// <summary>Privileged software exception (INT1, vector 1).</summary>
    /// <param name="instructionLength">Instruction length.</param>
    /// <returns>The event.</returns>
    public static EventInjection PrivilegedSoftwareException(uint instructionLength) => new(InterruptionInfo.Create(1, InterruptionType.PrivilegedSoftwareException, false), 0, instructionLength);

    /// <summary>Pending MTF VM exit (type 7, vector 0).</summary>
    /// <returns>The event.</returns>
    public static EventInjection PendingMonitorTrap() => new(InterruptionInfo.Create(0, InterruptionType.OtherEvent, false), 0, 0);

    /// <summary>
    /// Re-injection of an event whose delivery caused the VM exit, from the IDT-vectoring fields (Intel SDM
    /// Vol. 3C §28.2.4): same vector, type and error code; bit 12 is cleared.
    /// </summary>
    /// <param name="exit">The exit information.</param>
    /// <param name="injection">The event to inject.</param>
    /// <returns>False when the IDT-vectoring information is not valid.</returns>
    public static bool TryFromIdtVectoring(in VmExitInfo exit, out EventInjection injection)
    {
        InterruptionInfo idt = exit.IdtVectoring;
        injection = default;
        if (!idt.Valid)
        {
            return false;
        }

        injection = new(new InterruptionInfo(idt.Raw & 0x8000_0FFFu), idt.ErrorCodeValid ? exit.IdtVectoringErrorCode : 0, exit.InstructionLength);
        return true;
    }

    /// <summary>Writes the three VM-entry event fields.</summary>
    /// <typeparam name="TVmcs">VMCS access.</typeparam>
    /// <param name="vmcs">The VMCS.</param>
    /// <returns>The first failing VMWRITE, or success.</returns>
    public VmxInstructionResult WriteTo<TVmcs>(TVmcs vmcs) where TVmcs : IVmcsAccess
    {
        VmxInstructionResult r = vmcs.Write(VmcsFields.EntryExceptionErrorCode, ErrorCode);
        if (r.Succeeded)
        {
            r = vmcs.Write(VmcsFields.EntryInstructionLength, InstructionLength);
        }

        return r.Succeeded ? vmcs.Write(VmcsFields.EntryInterruptionInfo, Info.Raw) : r;
    }
}
