namespace Xen.Sdk.Svm;

/// <summary>
/// Everything the processor reports about one #VMEXIT, copied out of the VMCB control area: EXITCODE,
/// EXITINFO1, EXITINFO2, EXITINTINFO, nRIP and the decode-assist instruction-byte count
/// (AMD APM Vol. 2 §15.6, §15.7, Appendix C). Nothing is dropped; the typed views
/// (<see cref="TryGetIo"/>, <see cref="TryGetNestedPageFault"/> ...) decode the info words per exit code.
/// </summary>
public readonly struct SvmExit
{
    /// <summary>Creates an exit record from raw values.</summary>
    /// <param name="code">EXITCODE (raw; normalised for QEMU's 32-bit VMEXIT_INVALID).</param>
    /// <param name="info1">EXITINFO1.</param>
    /// <param name="info2">EXITINFO2.</param>
    /// <param name="intInfo">EXITINTINFO.</param>
    /// <param name="nextRip">nRIP (meaningful only with NRIP save).</param>
    public SvmExit(ulong code, ulong info1, ulong info2, SvmEvent intInfo, ulong nextRip)
    {
        RawCode = code;
        Info1 = info1;
        Info2 = info2;
        IntInfo = intInfo;
        NextRip = nextRip;
    }

    /// <summary>Reads the exit fields of a VMCB after VMRUN returned.</summary>
    /// <param name="vmcb">The VMCB.</param>
    /// <returns>The exit record.</returns>
    public static SvmExit Read(in Vmcb vmcb)
        => new(vmcb.Control.ExitCode, vmcb.Control.ExitInfo1, vmcb.Control.ExitInfo2, vmcb.Control.ExitIntInfo, vmcb.Control.NextRip);

    /// <summary>EXITCODE exactly as stored.</summary>
    public ulong RawCode { get; }
    /// <summary>EXITCODE, normalised (<see cref="SvmExitCodes.Normalize"/>).</summary>
    public SvmExitCode Code => SvmExitCodes.Normalize(RawCode);
    /// <summary>EXITINFO1.</summary>
    public ulong Info1 { get; }
    /// <summary>EXITINFO2.</summary>
    public ulong Info2 { get; }
    /// <summary>EXITINTINFO: the event that was being delivered when the exit happened (re-inject it if valid).</summary>
    public SvmEvent IntInfo { get; }
    /// <summary>nRIP as stored (see <see cref="TryGetNextRip"/>).</summary>
    public ulong NextRip { get; }

    /// <summary>The next sequential RIP, when the processor saves it (NRIP save) and the exit is an
    /// instruction intercept for which the APM defines nRIP (AMD APM Vol. 2 §15.7.1).</summary>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="nextRip">The next RIP.</param>
    /// <returns>False when the hypervisor must find the instruction length itself (e.g. QEMU TCG).</returns>
    public bool TryGetNextRip(in SvmCapabilities capabilities, out ulong nextRip)
    {
        nextRip = NextRip;
        return capabilities.Has(SvmFeatures.NextRipSave) && NextRip != 0;
    }

    /// <summary>IOIO exit: EXITINFO1 decoded; EXITINFO2 is the next RIP on every SVM processor.</summary>
    /// <param name="io">The decoded access.</param>
    /// <returns>True for <see cref="SvmExitCode.Ioio"/>.</returns>
    public bool TryGetIo(out SvmIoExitInfo io)
    {
        io = new SvmIoExitInfo(Info1);
        return Code == SvmExitCode.Ioio;
    }

    /// <summary>MSR exit: EXITINFO1 = 0 for RDMSR, 1 for WRMSR (the MSR is the guest's ECX).</summary>
    /// <param name="isWrite">True for WRMSR.</param>
    /// <returns>True for <see cref="SvmExitCode.Msr"/>.</returns>
    public bool TryGetMsr(out bool isWrite)
    {
        isWrite = (Info1 & 1) != 0;
        return Code == SvmExitCode.Msr;
    }

    /// <summary>Nested page fault: EXITINFO1 = error code, EXITINFO2 = faulting guest-physical address.</summary>
    /// <param name="fault">The decoded fault.</param>
    /// <returns>True for <see cref="SvmExitCode.NestedPageFault"/>.</returns>
    public bool TryGetNestedPageFault(out SvmNestedPageFault fault)
    {
        fault = new SvmNestedPageFault(Info1, Info2);
        return Code == SvmExitCode.NestedPageFault;
    }

    /// <summary>Exception intercept: vector, error code (EXITINFO1, for vectors that have one) and, for #PF,
    /// the faulting linear address (EXITINFO2).</summary>
    /// <param name="exception">The decoded exception.</param>
    /// <returns>True for exit codes 40h-5Fh.</returns>
    public bool TryGetException(out SvmExceptionExitInfo exception)
    {
        bool ok = SvmExitCodes.IsException(Code, out int vector);
        exception = new SvmExceptionExitInfo((byte)vector, Info1, Info2);
        return ok;
    }

    /// <summary>CR or DR access intercept (00h-3Fh) and CR0 selective write (65h). With decode assists,
    /// EXITINFO1[63] says whether the access was a MOV and EXITINFO1[3:0] names the GPR (AMD APM Vol. 2 §15.33.1).</summary>
    /// <param name="capabilities">The processor's capabilities (decode assists or not).</param>
    /// <param name="access">The decoded access.</param>
    /// <returns>True for a CR/DR access exit.</returns>
    public bool TryGetControlAccess(in SvmCapabilities capabilities, out SvmControlAccess access)
    {
        SvmExitCode code = Code;
        bool isCr = SvmExitCodes.IsCrAccess(code, out int reg, out bool write);
        bool isDr = !isCr && SvmExitCodes.IsDrAccess(code, out reg, out write);
        if (code == SvmExitCode.Cr0SelectiveWrite) { isCr = true; reg = 0; write = true; }
        access = new SvmControlAccess(isDr, reg, write, Info1, capabilities.Has(SvmFeatures.DecodeAssists));
        return isCr || isDr;
    }

    /// <summary>Task-switch intercept: EXITINFO1 = target TSS selector, EXITINFO2 = reason and error code.</summary>
    /// <param name="taskSwitch">The decoded task switch.</param>
    /// <returns>True for <see cref="SvmExitCode.TaskSwitch"/>.</returns>
    public bool TryGetTaskSwitch(out SvmTaskSwitch taskSwitch)
    {
        taskSwitch = new SvmTaskSwitch(Info1, Info2);
        return Code == SvmExitCode.TaskSwitch;
    }

    /// <summary>Value written, for the CR0-CR15 and EFER write traps (EXITINFO1 = new value).</summary>
    /// <param name="register">CR number, or -1 for EFER.</param>
    /// <param name="newValue">The value written.</param>
    /// <returns>True for a write-trap exit.</returns>
    public bool TryGetWriteTrap(out int register, out ulong newValue)
    {
        newValue = Info1;
        if (Code == SvmExitCode.EferWriteTrap) { register = -1; return true; }
        return SvmExitCodes.IsCrWriteTrap(Code, out register);
    }

    /// <summary>Operand decoded by the processor with decode assists: INVLPG's linear address (EXITINFO1),
    /// INTn's vector (EXITINFO1[7:0]) or INVPCID's descriptor address (EXITINFO1) and type (EXITINFO2)
    /// (AMD APM Vol. 2 §15.33).</summary>
    /// <param name="capabilities">The processor's capabilities.</param>
    /// <param name="operand">The operand.</param>
    /// <returns>False without decode assists or for other exits: decode the instruction then.</returns>
    public bool TryGetAssistedOperand(in SvmCapabilities capabilities, out ulong operand)
    {
        operand = Code == SvmExitCode.SoftwareInterrupt ? Info1 & 0xFF : Info1;
        return capabilities.Has(SvmFeatures.DecodeAssists)
            && (Code == SvmExitCode.Invlpg || Code == SvmExitCode.SoftwareInterrupt || Code == SvmExitCode.Invpcid);
    }
}
