namespace Xen.Sdk.Vmx.Exits;

/// <summary>Access type of a control-register access (Intel SDM Vol. 3C §28.2.1, Table 28-3).</summary>
public enum CrAccessType : byte
{
    /// <summary>MOV to CR.</summary>
    MovToCr = 0,
    /// <summary>MOV from CR.</summary>
    MovFromCr = 1,
    /// <summary>CLTS.</summary>
    Clts = 2,
    /// <summary>LMSW.</summary>
    Lmsw = 3,
}

/// <summary>
/// Exit qualification for control-register accesses (Intel SDM Vol. 3C §28.2.1, Table 28-3): CR number
/// (3:0), access type (5:4), LMSW operand type (6, 1 = memory), general-purpose register (11:8), LMSW source
/// data (31:16). Unknown bits are kept.
/// </summary>
public readonly struct CrAccessQualification : System.IEquatable<CrAccessQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public CrAccessQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(CrAccessQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CrAccessQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(CrAccessQualification left, CrAccessQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(CrAccessQualification left, CrAccessQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0xFFFF_0F7F;
    /// <summary>Control register number.</summary>
    public int ControlRegister => (int)(Raw & 0xF);
    /// <summary>Access type.</summary>
    public CrAccessType AccessType => (CrAccessType)((Raw >> 4) & 3);
    /// <summary>LMSW operand is in memory.</summary>
    public bool LmswMemoryOperand => (Raw & 0x40) != 0;
    /// <summary>General-purpose register (0 RAX ... 15 R15) for MOV CR.</summary>
    public int Register => (int)((Raw >> 8) & 0xF);
    /// <summary>LMSW source data.</summary>
    public ushort LmswSourceData => (ushort)(Raw >> 16);
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="controlRegister">CR number.</param>
    /// <param name="accessType">Access type.</param>
    /// <param name="register">GPR.</param>
    /// <param name="lmswMemoryOperand">Bit 6.</param>
    /// <param name="lmswSourceData">Bits 31:16.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static CrAccessQualification Create(int controlRegister, CrAccessType accessType, int register, bool lmswMemoryOperand = false, ushort lmswSourceData = 0, ulong unknownBits = 0)
        => new(((ulong)controlRegister & 0xF) | ((ulong)accessType & 3) << 4 | (lmswMemoryOperand ? 0x40UL : 0) | ((ulong)register & 0xF) << 8
            | (ulong)lmswSourceData << 16 | (unknownBits & ~DefinedBits));
}

/// <summary>
/// Exit qualification for MOV DR (Intel SDM Vol. 3C §28.2.1, Table 28-4): debug register (2:0), direction
/// (4: 0 = MOV to DR, 1 = MOV from DR), general-purpose register (11:8).
/// </summary>
public readonly struct MovDrQualification : System.IEquatable<MovDrQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public MovDrQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(MovDrQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MovDrQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(MovDrQualification left, MovDrQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(MovDrQualification left, MovDrQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0xF17;
    /// <summary>Debug register number.</summary>
    public int DebugRegister => (int)(Raw & 7);
    /// <summary>True for MOV from DR.</summary>
    public bool FromDebugRegister => (Raw & 0x10) != 0;
    /// <summary>General-purpose register.</summary>
    public int Register => (int)((Raw >> 8) & 0xF);
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="debugRegister">DR number.</param>
    /// <param name="fromDebugRegister">Direction.</param>
    /// <param name="register">GPR.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static MovDrQualification Create(int debugRegister, bool fromDebugRegister, int register, ulong unknownBits = 0)
        => new(((ulong)debugRegister & 7) | (fromDebugRegister ? 0x10UL : 0) | ((ulong)register & 0xF) << 8 | (unknownBits & ~DefinedBits));
}

/// <summary>
/// Exit qualification for I/O instructions (Intel SDM Vol. 3C §28.2.1, Table 28-5): size of access (2:0:
/// 0 = 1 byte, 1 = 2 bytes, 3 = 4 bytes), direction (3: 1 = IN), string (4), REP (5), operand encoding
/// (6: 1 = immediate), port (31:16).
/// </summary>
public readonly struct IoQualification : System.IEquatable<IoQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public IoQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(IoQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IoQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(IoQualification left, IoQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(IoQualification left, IoQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0xFFFF_007F;
    /// <summary>Raw size field (bits 2:0).</summary>
    public int SizeField => (int)(Raw & 7);
    /// <summary>Access size in bytes (size field + 1).</summary>
    public int Size => SizeField + 1;
    /// <summary>True for IN/INS.</summary>
    public bool In => (Raw & 8) != 0;
    /// <summary>True for INS/OUTS.</summary>
    public bool String => (Raw & 0x10) != 0;
    /// <summary>True with a REP prefix.</summary>
    public bool Rep => (Raw & 0x20) != 0;
    /// <summary>True when the port is an immediate operand (false: DX).</summary>
    public bool ImmediateOperand => (Raw & 0x40) != 0;
    /// <summary>Port number.</summary>
    public ushort Port => (ushort)(Raw >> 16);
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="port">Port.</param>
    /// <param name="size">Access size in bytes (1, 2 or 4).</param>
    /// <param name="input">True for IN.</param>
    /// <param name="isString">String instruction.</param>
    /// <param name="rep">REP prefix.</param>
    /// <param name="immediate">Immediate port operand.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static IoQualification Create(ushort port, int size, bool input, bool isString = false, bool rep = false, bool immediate = false, ulong unknownBits = 0)
        => new(((ulong)(size - 1) & 7) | (input ? 8UL : 0) | (isString ? 0x10UL : 0) | (rep ? 0x20UL : 0) | (immediate ? 0x40UL : 0)
            | (ulong)port << 16 | (unknownBits & ~DefinedBits));
}

/// <summary>
/// Exit qualification for EPT violations (Intel SDM Vol. 3C §28.2.1, Table 28-7): bit 0 read, 1 write,
/// 2 instruction fetch, 3-5 the guest-physical address was readable / writable / executable (supervisor),
/// 6 user-mode executable, 7 guest linear-address field valid, 8 access to the translation (not to a
/// paging structure), 9-11 advanced information (user-mode linear address, read/write page, execute-disable),
/// 12 NMI unblocking due to IRET, 13 shadow-stack access, 14 supervisor shadow-stack page,
/// 15 guest-paging verification, 16 asynchronous to instruction execution.
/// </summary>
public readonly struct EptViolationQualification : System.IEquatable<EptViolationQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public EptViolationQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(EptViolationQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EptViolationQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EptViolationQualification left, EptViolationQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(EptViolationQualification left, EptViolationQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0x1_FFFF;
    /// <summary>Bit 0: data read.</summary>
    public bool Read => (Raw & 1) != 0;
    /// <summary>Bit 1: data write.</summary>
    public bool Write => (Raw & 2) != 0;
    /// <summary>Bit 2: instruction fetch.</summary>
    public bool InstructionFetch => (Raw & 4) != 0;
    /// <summary>Bit 3: the address was readable.</summary>
    public bool WasReadable => (Raw & 8) != 0;
    /// <summary>Bit 4: the address was writable.</summary>
    public bool WasWritable => (Raw & 0x10) != 0;
    /// <summary>Bit 5: the address was executable (supervisor-mode with mode-based control).</summary>
    public bool WasExecutable => (Raw & 0x20) != 0;
    /// <summary>Bit 6: the address was user-mode executable.</summary>
    public bool WasUserExecutable => (Raw & 0x40) != 0;
    /// <summary>Bit 7: the guest linear-address field is valid.</summary>
    public bool GuestLinearAddressValid => (Raw & 0x80) != 0;
    /// <summary>Bit 8 (with bit 7): the access was to the translated address, not to a paging structure.</summary>
    public bool AccessToTranslatedAddress => (Raw & 0x100) != 0;
    /// <summary>Bit 9: user-mode linear address (advanced information).</summary>
    public bool UserModeLinearAddress => (Raw & 0x200) != 0;
    /// <summary>Bit 10: read/write page (advanced information).</summary>
    public bool ReadWritePage => (Raw & 0x400) != 0;
    /// <summary>Bit 11: execute-disable page (advanced information).</summary>
    public bool ExecuteDisablePage => (Raw & 0x800) != 0;
    /// <summary>Bit 12: NMI unblocking due to IRET.</summary>
    public bool NmiUnblockingDueToIret => (Raw & 0x1000) != 0;
    /// <summary>Bit 13: shadow-stack access.</summary>
    public bool ShadowStackAccess => (Raw & 0x2000) != 0;
    /// <summary>Bit 14: supervisor shadow-stack page.</summary>
    public bool SupervisorShadowStack => (Raw & 0x4000) != 0;
    /// <summary>Bit 15: guest-paging verification.</summary>
    public bool GuestPagingVerification => (Raw & 0x8000) != 0;
    /// <summary>Bit 16: asynchronous to instruction execution.</summary>
    public bool Asynchronous => (Raw & 0x1_0000) != 0;
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification from its access bits (0-2), permission bits (3-6), flag bits (7-16) and unknown bits.</summary>
    /// <param name="access">Bits 2:0 (read, write, fetch).</param>
    /// <param name="permissions">Bits 6:3 as a 4-bit value (readable, writable, executable, user-executable).</param>
    /// <param name="flags">Bits 16:7 as a 10-bit value.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static EptViolationQualification Create(uint access, uint permissions, uint flags, ulong unknownBits = 0)
        => new((access & 7UL) | (permissions & 0xFUL) << 3 | (flags & 0x3FFUL) << 7 | (unknownBits & ~DefinedBits));
}

/// <summary>
/// Exit qualification for debug exceptions (Intel SDM Vol. 3C §28.2.1, Table 28-1): B3-B0 (3:0), BD (13),
/// BS (14), RTM (16).
/// </summary>
public readonly struct DebugExceptionQualification : System.IEquatable<DebugExceptionQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public DebugExceptionQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(DebugExceptionQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DebugExceptionQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(DebugExceptionQualification left, DebugExceptionQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(DebugExceptionQualification left, DebugExceptionQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0x1_600F;
    /// <summary>Breakpoint conditions B3-B0.</summary>
    public int Breakpoints => (int)(Raw & 0xF);
    /// <summary>BD: debug-register access detected.</summary>
    public bool DebugRegisterAccess => (Raw & 0x2000) != 0;
    /// <summary>BS: single step.</summary>
    public bool SingleStep => (Raw & 0x4000) != 0;
    /// <summary>RTM: inside a transactional region.</summary>
    public bool Rtm => (Raw & 0x1_0000) != 0;
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="breakpoints">B3-B0.</param>
    /// <param name="debugRegisterAccess">BD.</param>
    /// <param name="singleStep">BS.</param>
    /// <param name="rtm">RTM.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static DebugExceptionQualification Create(int breakpoints, bool debugRegisterAccess, bool singleStep, bool rtm = false, ulong unknownBits = 0)
        => new(((ulong)breakpoints & 0xF) | (debugRegisterAccess ? 0x2000UL : 0) | (singleStep ? 0x4000UL : 0) | (rtm ? 0x1_0000UL : 0) | (unknownBits & ~DefinedBits));
}

/// <summary>Source of a task switch (Intel SDM Vol. 3C §28.2.1, Table 28-2).</summary>
public enum TaskSwitchSource : byte
{
    /// <summary>CALL instruction.</summary>
    Call = 0,
    /// <summary>IRET instruction.</summary>
    Iret = 1,
    /// <summary>JMP instruction.</summary>
    Jmp = 2,
    /// <summary>Task gate in the IDT.</summary>
    TaskGate = 3,
}

/// <summary>Exit qualification for task switches (Intel SDM Vol. 3C §28.2.1, Table 28-2): new TSS selector (15:0), source (31:30).</summary>
public readonly struct TaskSwitchQualification : System.IEquatable<TaskSwitchQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public TaskSwitchQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(TaskSwitchQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TaskSwitchQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(TaskSwitchQualification left, TaskSwitchQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(TaskSwitchQualification left, TaskSwitchQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0xC000_FFFF;
    /// <summary>Selector of the new TSS.</summary>
    public ushort Selector => (ushort)Raw;
    /// <summary>Source of the switch.</summary>
    public TaskSwitchSource Source => (TaskSwitchSource)((Raw >> 30) & 3);
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="selector">Selector.</param>
    /// <param name="source">Source.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static TaskSwitchQualification Create(ushort selector, TaskSwitchSource source, ulong unknownBits = 0)
        => new(selector | ((ulong)source & 3) << 30 | (unknownBits & ~DefinedBits));
}

/// <summary>APIC-access types (Intel SDM Vol. 3C §28.2.1, Table 28-6).</summary>
public enum ApicAccessType : byte
{
    /// <summary>0: linear access for a data read during instruction execution.</summary>
    LinearRead = 0,
    /// <summary>1: linear access for a data write during instruction execution.</summary>
    LinearWrite = 1,
    /// <summary>2: linear access for an instruction fetch.</summary>
    LinearFetch = 2,
    /// <summary>3: linear access (read or write) during event delivery.</summary>
    LinearEventDelivery = 3,
    /// <summary>10: guest-physical access during event delivery.</summary>
    PhysicalEventDelivery = 10,
    /// <summary>15: guest-physical access for an instruction fetch or during instruction execution.</summary>
    PhysicalInstruction = 15,
}

/// <summary>Exit qualification for APIC-access exits (Intel SDM Vol. 3C §28.2.1, Table 28-6): page offset (11:0), access type (15:12), asynchronous (16).</summary>
public readonly struct ApicAccessQualification : System.IEquatable<ApicAccessQualification>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The qualification.</param>
    public ApicAccessQualification(ulong raw)
    {
        Raw = raw;
    }

    /// <summary>The qualification.</summary>
    public ulong Raw { get; }

    /// <inheritdoc/>
    public bool Equals(ApicAccessQualification other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApicAccessQualification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(ApicAccessQualification left, ApicAccessQualification right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ApicAccessQualification left, ApicAccessQualification right) => !left.Equals(right);


    /// <summary>Bits the SDM defines.</summary>
    public const ulong DefinedBits = 0x1_FFFF;
    /// <summary>Offset in the APIC page (linear accesses).</summary>
    public int Offset => (int)(Raw & 0xFFF);
    /// <summary>Access type.</summary>
    public ApicAccessType AccessType => (ApicAccessType)((Raw >> 12) & 0xF);
    /// <summary>Bit 16: asynchronous to instruction execution.</summary>
    public bool Asynchronous => (Raw & 0x1_0000) != 0;
    /// <summary>Undefined bits that were set.</summary>
    public ulong UnknownBits => Raw & ~DefinedBits;

    /// <summary>Encodes the qualification.</summary>
    /// <param name="offset">Offset.</param>
    /// <param name="accessType">Access type.</param>
    /// <param name="asynchronous">Bit 16.</param>
    /// <param name="unknownBits">Other bits to keep.</param>
    /// <returns>The qualification.</returns>
    public static ApicAccessQualification Create(int offset, ApicAccessType accessType, bool asynchronous = false, ulong unknownBits = 0)
        => new(((ulong)offset & 0xFFF) | ((ulong)accessType & 0xF) << 12 | (asynchronous ? 0x1_0000UL : 0) | (unknownBits & ~DefinedBits));
}

/// <summary>
/// VM-exit instruction-information field (Intel SDM Vol. 3C §28.2.5, Tables 28-9 to 28-14). One view over
/// the formats: scaling (1:0), register 1 (6:3), address size (9:7: 0 = 16, 1 = 32, 2 = 64 bits),
/// memory/register (10: 1 = register operand), operand size (12:11), segment (17:15), index register
/// (21:18), index invalid (22), base register (26:23), base invalid (27), instruction identity (29:28, for
/// descriptor-table and LDTR/TR exits), register 2 (31:28, for INVEPT/INVPCID/INVVPID/VMREAD/VMWRITE).
/// Which members are meaningful depends on the exit reason; <see cref="Raw"/> is always complete.
/// </summary>
public readonly struct InstructionInformation : System.IEquatable<InstructionInformation>
{
    /// <summary>Creates the value.</summary>
    /// <param name="raw">The field.</param>
    public InstructionInformation(uint raw)
    {
        Raw = raw;
    }

    /// <summary>The field.</summary>
    public uint Raw { get; }

    /// <inheritdoc/>
    public bool Equals(InstructionInformation other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is InstructionInformation other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(Raw.GetHashCode());

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(InstructionInformation left, InstructionInformation right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(InstructionInformation left, InstructionInformation right) => !left.Equals(right);


    /// <summary>Scaling: index is multiplied by 1 &lt;&lt; Scaling.</summary>
    public int Scaling => (int)(Raw & 3);
    /// <summary>Register 1 (destination of RDRAND/RDSEED, register operand of VMREAD/VMWRITE/LLDT...).</summary>
    public int Register1 => (int)((Raw >> 3) & 0xF);
    /// <summary>Address size field (0 = 16-bit, 1 = 32-bit, 2 = 64-bit).</summary>
    public int AddressSize => (int)((Raw >> 7) & 7);
    /// <summary>Bit 10: the operand is a register (not memory).</summary>
    public bool RegisterOperand => (Raw & 0x400) != 0;
    /// <summary>Operand size field (bits 12:11).</summary>
    public int OperandSize => (int)((Raw >> 11) & 3);
    /// <summary>Segment register (0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS).</summary>
    public int Segment => (int)((Raw >> 15) & 7);
    /// <summary>Index register.</summary>
    public int IndexRegister => (int)((Raw >> 18) & 0xF);
    /// <summary>Bit 22: no index register.</summary>
    public bool IndexInvalid => (Raw & (1u << 22)) != 0;
    /// <summary>Base register.</summary>
    public int BaseRegister => (int)((Raw >> 23) & 0xF);
    /// <summary>Bit 27: no base register.</summary>
    public bool BaseInvalid => (Raw & (1u << 27)) != 0;
    /// <summary>Instruction identity (SGDT/SIDT/LGDT/LIDT or SLDT/STR/LLDT/LTR), bits 29:28.</summary>
    public int InstructionIdentity => (int)((Raw >> 28) & 3);
    /// <summary>Register 2 (bits 31:28).</summary>
    public int Register2 => (int)(Raw >> 28);

    /// <summary>Bits 2 and 14:13 (undefined in every format; kept).</summary>
    public uint UnknownBits => Raw & 0x6004u;

    /// <summary>Encodes the field from every part (no bit is lost).</summary>
    /// <param name="scaling">Scaling (1:0).</param>
    /// <param name="register1">Register 1 (6:3).</param>
    /// <param name="addressSize">Address size (9:7).</param>
    /// <param name="registerOperand">Bit 10.</param>
    /// <param name="operandSize">Operand size (12:11).</param>
    /// <param name="segment">Segment (17:15).</param>
    /// <param name="indexRegister">Index register (21:18).</param>
    /// <param name="indexInvalid">Bit 22.</param>
    /// <param name="baseRegister">Base register (26:23).</param>
    /// <param name="baseInvalid">Bit 27.</param>
    /// <param name="register2">Register 2 / instruction identity (31:28).</param>
    /// <param name="unknownBits">Bits 2 and 14:13.</param>
    /// <returns>The field.</returns>
    public static InstructionInformation Create(int scaling, int register1, int addressSize, bool registerOperand, int operandSize, int segment,
        int indexRegister, bool indexInvalid, int baseRegister, bool baseInvalid, int register2, uint unknownBits = 0)
        => new(((uint)scaling & 3) | ((uint)register1 & 0xF) << 3 | ((uint)addressSize & 7) << 7 | (registerOperand ? 0x400u : 0) | ((uint)operandSize & 3) << 11
            | (unknownBits & 0x6004u) | ((uint)segment & 7) << 15 | ((uint)indexRegister & 0xF) << 18 | (indexInvalid ? 1u << 22 : 0)
            | ((uint)baseRegister & 0xF) << 23 | (baseInvalid ? 1u << 27 : 0) | ((uint)register2 & 0xF) << 28);
}
