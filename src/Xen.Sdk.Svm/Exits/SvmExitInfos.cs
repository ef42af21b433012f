namespace Xen.Sdk.Svm;

/// <summary>
/// EXITINFO1 of an IOIO intercept (AMD APM Vol. 2 §15.10.2, Figure 15-2): TYPE (bit 0, 1 = IN), STR (2),
/// REP (3), SZ8/SZ16/SZ32 (4-6), A16/A32/A64 (7-9), SEG (12:10, with decode assists), PORT (31:16).
/// </summary>
public readonly struct SvmIoExitInfo
{
    /// <summary>The bits this format defines; the others are reserved.</summary>
    public const ulong DefinedMask = 0xFFFF_1FFDul;

    /// <summary>Wraps EXITINFO1.</summary>
    /// <param name="info1">EXITINFO1.</param>
    public SvmIoExitInfo(ulong info1) => Value = info1;

    /// <summary>The raw EXITINFO1.</summary>
    public ulong Value { get; }
    /// <summary>True for IN/INS, false for OUT/OUTS.</summary>
    public bool IsIn => (Value & 1) != 0;
    /// <summary>String instruction (INS/OUTS).</summary>
    public bool IsString => (Value & 4) != 0;
    /// <summary>REP prefix.</summary>
    public bool IsRep => (Value & 8) != 0;
    /// <summary>Operand size in bytes (1, 2 or 4; 0 if no size bit is set).</summary>
    public int Size => (Value & 0x10) != 0 ? 1 : (Value & 0x20) != 0 ? 2 : (Value & 0x40) != 0 ? 4 : 0;
    /// <summary>Address size in bits (16, 32 or 64; 0 if none set).</summary>
    public int AddressSize => (Value & 0x80) != 0 ? 16 : (Value & 0x100) != 0 ? 32 : (Value & 0x200) != 0 ? 64 : 0;
    /// <summary>Effective segment of a string instruction (0 = ES ... 5 = GS), with decode assists.</summary>
    public int Segment => (int)((Value >> 10) & 7);
    /// <summary>The port.</summary>
    public ushort Port => (ushort)(Value >> 16);

    /// <summary>Encodes an IOIO EXITINFO1.</summary>
    /// <param name="port">Port.</param>
    /// <param name="isIn">IN (true) or OUT.</param>
    /// <param name="size">1, 2 or 4.</param>
    /// <param name="addressSize">16, 32 or 64.</param>
    /// <param name="isString">String instruction.</param>
    /// <param name="isRep">REP prefix.</param>
    /// <param name="segment">Effective segment 0-7.</param>
    /// <returns>The encoded value.</returns>
    public static SvmIoExitInfo Create(ushort port, bool isIn, int size, int addressSize, bool isString = false, bool isRep = false, int segment = 0)
    {
        ulong v = (isIn ? 1ul : 0) | (isString ? 4ul : 0) | (isRep ? 8ul : 0)
            | (size == 1 ? 0x10ul : size == 2 ? 0x20ul : size == 4 ? 0x40ul : 0)
            | (addressSize == 16 ? 0x80ul : addressSize == 32 ? 0x100ul : addressSize == 64 ? 0x200ul : 0)
            | ((ulong)(segment & 7) << 10) | ((ulong)port << 16);
        return new SvmIoExitInfo(v);
    }
}

/// <summary>
/// A nested page fault: EXITINFO1 is a #PF-style error code plus nested-paging bits, EXITINFO2 the
/// guest-physical address (AMD APM Vol. 2 §15.25.6).
/// </summary>
public readonly struct SvmNestedPageFault
{
    /// <summary>Wraps the info words.</summary>
    /// <param name="errorCode">EXITINFO1.</param>
    /// <param name="guestPhysicalAddress">EXITINFO2.</param>
    public SvmNestedPageFault(ulong errorCode, ulong guestPhysicalAddress)
    {
        ErrorCode = errorCode;
        GuestPhysicalAddress = guestPhysicalAddress;
    }

    /// <summary>EXITINFO1.</summary>
    public ulong ErrorCode { get; }
    /// <summary>EXITINFO2: the faulting guest-physical address.</summary>
    public ulong GuestPhysicalAddress { get; }
    /// <summary>Bit 0 (P): the nested page was present (protection violation) rather than not present.</summary>
    public bool Present => (ErrorCode & 1) != 0;
    /// <summary>Bit 1 (RW): write access.</summary>
    public bool Write => (ErrorCode & 2) != 0;
    /// <summary>Bit 2 (US): user access (nested accesses are user accesses).</summary>
    public bool User => (ErrorCode & 4) != 0;
    /// <summary>Bit 3 (RSV): a reserved bit was set in a nested page-table entry.</summary>
    public bool ReservedBit => (ErrorCode & 8) != 0;
    /// <summary>Bit 4 (ID): instruction fetch.</summary>
    public bool InstructionFetch => (ErrorCode & 0x10) != 0;
    /// <summary>Bit 6 (SS): shadow-stack access.</summary>
    public bool ShadowStack => (ErrorCode & 0x40) != 0;
    /// <summary>Bit 32: the fault happened translating the guest's final physical address.</summary>
    public bool FinalTranslation => (ErrorCode & (1ul << 32)) != 0;
    /// <summary>Bit 33: the fault happened translating a guest page-table access (guest walk).</summary>
    public bool GuestPageTableWalk => (ErrorCode & (1ul << 33)) != 0;

    /// <summary>Encodes a nested page fault.</summary>
    /// <param name="gpa">Guest-physical address.</param>
    /// <param name="present">P.</param>
    /// <param name="write">RW.</param>
    /// <param name="user">US.</param>
    /// <param name="reserved">RSV.</param>
    /// <param name="fetch">ID.</param>
    /// <param name="finalTranslation">Bit 32.</param>
    /// <param name="guestWalk">Bit 33.</param>
    /// <returns>The fault.</returns>
    public static SvmNestedPageFault Create(ulong gpa, bool present, bool write, bool user, bool reserved, bool fetch, bool finalTranslation, bool guestWalk)
        => new((present ? 1ul : 0) | (write ? 2ul : 0) | (user ? 4ul : 0) | (reserved ? 8ul : 0) | (fetch ? 0x10ul : 0)
               | (finalTranslation ? 1ul << 32 : 0) | (guestWalk ? 1ul << 33 : 0), gpa);
}

/// <summary>An intercepted exception: vector, error code and (for #PF) faulting address
/// (AMD APM Vol. 2 §15.12).</summary>
public readonly struct SvmExceptionExitInfo
{
    /// <summary>Creates the record.</summary>
    /// <param name="vector">Vector 0-31.</param>
    /// <param name="info1">EXITINFO1 (error code, where the vector has one).</param>
    /// <param name="info2">EXITINFO2 (#PF: faulting linear address).</param>
    public SvmExceptionExitInfo(byte vector, ulong info1, ulong info2)
    {
        Vector = vector;
        Info1 = info1;
        Info2 = info2;
    }

    /// <summary>The vector.</summary>
    public byte Vector { get; }
    /// <summary>EXITINFO1 as stored.</summary>
    public ulong Info1 { get; }
    /// <summary>EXITINFO2 as stored.</summary>
    public ulong Info2 { get; }
    /// <summary>Whether the vector delivers an error code.</summary>
    public bool HasErrorCode => SvmEvent.ExceptionHasErrorCode(Vector);
    /// <summary>The error code (0 if the vector has none).</summary>
    public uint ErrorCode => HasErrorCode ? (uint)Info1 : 0;
    /// <summary>For #PF (14): the faulting linear address (the value CR2 would get).</summary>
    public ulong FaultingAddress => Vector == 14 ? Info2 : 0;
    /// <summary>The event to re-inject to deliver the exception to the guest.</summary>
    /// <returns>The event.</returns>
    public SvmEvent ToEvent() => SvmEvent.Exception(Vector, ErrorCode);
}

/// <summary>
/// A CR or DR access intercept. With decode assists, EXITINFO1[63] = 1 if the instruction was MOV CRx/DRx
/// and EXITINFO1[3:0] is the GPR number (0 = RAX ... 15 = R15); for LMSW, CLTS and SMSW bit 63 is 0
/// (AMD APM Vol. 2 §15.33.1).
/// </summary>
public readonly struct SvmControlAccess
{
    /// <summary>EXITINFO1 bit 63: the access was a MOV.</summary>
    public const ulong MovBit = 1ul << 63;

    /// <summary>Creates the record.</summary>
    /// <param name="isDebugRegister">DR (true) or CR.</param>
    /// <param name="register">Register number.</param>
    /// <param name="isWrite">Write (true) or read.</param>
    /// <param name="info1">EXITINFO1.</param>
    /// <param name="decodeAssists">Whether EXITINFO1 carries decode-assist information.</param>
    public SvmControlAccess(bool isDebugRegister, int register, bool isWrite, ulong info1, bool decodeAssists)
    {
        IsDebugRegister = isDebugRegister;
        Register = register;
        IsWrite = isWrite;
        Info1 = info1;
        HasDecodeAssist = decodeAssists;
    }

    /// <summary>DR (true) or CR (false).</summary>
    public bool IsDebugRegister { get; }
    /// <summary>The CR or DR number.</summary>
    public int Register { get; }
    /// <summary>Write (true) or read.</summary>
    public bool IsWrite { get; }
    /// <summary>EXITINFO1 as stored.</summary>
    public ulong Info1 { get; }
    /// <summary>Whether <see cref="Info1"/> is decode-assist data (otherwise decode the instruction).</summary>
    public bool HasDecodeAssist { get; }
    /// <summary>With decode assists: the instruction was MOV (not LMSW/CLTS/SMSW). DR accesses are always MOV.</summary>
    public bool IsMov => IsDebugRegister || (Info1 & MovBit) != 0;
    /// <summary>With decode assists and <see cref="IsMov"/>: the GPR operand (0-15).</summary>
    public int GeneralRegister => (int)(Info1 & 0xF);

    /// <summary>Encodes the decode-assist EXITINFO1.</summary>
    /// <param name="isMov">MOV instruction.</param>
    /// <param name="gpr">GPR number.</param>
    /// <returns>The EXITINFO1 value.</returns>
    public static ulong EncodeInfo1(bool isMov, int gpr) => (isMov ? MovBit : 0) | (uint)(gpr & 0xF);
}

/// <summary>
/// A task-switch intercept: EXITINFO1[15:0] = the target TSS selector; EXITINFO2[31:0] = error code to push,
/// bit 36 = IRET, bit 38 = far JMP, bit 44 = an error code is pushed, bit 48 = EFLAGS.RF
/// (AMD APM Vol. 2 §15.14.2).
/// </summary>
public readonly struct SvmTaskSwitch
{
    /// <summary>Creates the record.</summary>
    /// <param name="info1">EXITINFO1.</param>
    /// <param name="info2">EXITINFO2.</param>
    public SvmTaskSwitch(ulong info1, ulong info2)
    {
        Info1 = info1;
        Info2 = info2;
    }

    /// <summary>EXITINFO1.</summary>
    public ulong Info1 { get; }
    /// <summary>EXITINFO2.</summary>
    public ulong Info2 { get; }
    /// <summary>The target TSS selector.</summary>
    public ushort TssSelector => (ushort)Info1;
    /// <summary>The error code to push.</summary>
    public uint ErrorCode => (uint)Info2;
    /// <summary>Caused by IRET.</summary>
    public bool ByIret => (Info2 & (1ul << 36)) != 0;
    /// <summary>Caused by a far JMP.</summary>
    public bool ByJump => (Info2 & (1ul << 38)) != 0;
    /// <summary>An error code is pushed.</summary>
    public bool HasErrorCode => (Info2 & (1ul << 44)) != 0;
    /// <summary>The EFLAGS.RF value to save in the outgoing TSS.</summary>
    public bool ResumeFlag => (Info2 & (1ul << 48)) != 0;
    /// <summary>Caused by CALL, an interrupt or an exception (neither IRET nor JMP).</summary>
    public bool ByCallOrInterrupt => !ByIret && !ByJump;

    /// <summary>Encodes a task switch.</summary>
    /// <param name="selector">TSS selector.</param>
    /// <param name="byIret">IRET.</param>
    /// <param name="byJump">Far JMP.</param>
    /// <param name="hasErrorCode">Error code pushed.</param>
    /// <param name="errorCode">The error code.</param>
    /// <param name="resumeFlag">EFLAGS.RF.</param>
    /// <returns>The record.</returns>
    public static SvmTaskSwitch Create(ushort selector, bool byIret, bool byJump, bool hasErrorCode, uint errorCode, bool resumeFlag)
        => new(selector, errorCode | (byIret ? 1ul << 36 : 0) | (byJump ? 1ul << 38 : 0) | (hasErrorCode ? 1ul << 44 : 0) | (resumeFlag ? 1ul << 48 : 0));
}
