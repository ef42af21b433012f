namespace Xen.Sdk.Vmx.Exits;

/// <summary>Basic exit reasons, bits 15:0 of the exit-reason field (Intel SDM Vol. 3D Appendix C, Table C-1).</summary>
public enum BasicExitReason : ushort
{
    /// <summary>0: Exception or non-maskable interrupt (NMI).</summary>
    ExceptionOrNmi = 0,
    /// <summary>1: External interrupt.</summary>
    ExternalInterrupt = 1,
    /// <summary>2: Triple fault.</summary>
    TripleFault = 2,
    /// <summary>3: INIT signal.</summary>
    InitSignal = 3,
    /// <summary>4: Start-up IPI (SIPI).</summary>
    StartupIpi = 4,
    /// <summary>5: I/O system-management interrupt (SMI).</summary>
    IoSmi = 5,
    /// <summary>6: Other SMI.</summary>
    OtherSmi = 6,
    /// <summary>7: Interrupt window.</summary>
    InterruptWindow = 7,
    /// <summary>8: NMI window.</summary>
    NmiWindow = 8,
    /// <summary>9: Task switch.</summary>
    TaskSwitch = 9,
    /// <summary>10: CPUID.</summary>
    Cpuid = 10,
    /// <summary>11: GETSEC.</summary>
    Getsec = 11,
    /// <summary>12: HLT.</summary>
    Hlt = 12,
    /// <summary>13: INVD.</summary>
    Invd = 13,
    /// <summary>14: INVLPG.</summary>
    Invlpg = 14,
    /// <summary>15: RDPMC.</summary>
    Rdpmc = 15,
    /// <summary>16: RDTSC.</summary>
    Rdtsc = 16,
    /// <summary>17: RSM.</summary>
    Rsm = 17,
    /// <summary>18: VMCALL.</summary>
    Vmcall = 18,
    /// <summary>19: VMCLEAR.</summary>
    Vmclear = 19,
    /// <summary>20: VMLAUNCH.</summary>
    Vmlaunch = 20,
    /// <summary>21: VMPTRLD.</summary>
    Vmptrld = 21,
    /// <summary>22: VMPTRST.</summary>
    Vmptrst = 22,
    /// <summary>23: VMREAD.</summary>
    Vmread = 23,
    /// <summary>24: VMRESUME.</summary>
    Vmresume = 24,
    /// <summary>25: VMWRITE.</summary>
    Vmwrite = 25,
    /// <summary>26: VMXOFF.</summary>
    Vmxoff = 26,
    /// <summary>27: VMXON.</summary>
    Vmxon = 27,
    /// <summary>28: Control-register accesses.</summary>
    ControlRegisterAccess = 28,
    /// <summary>29: MOV DR.</summary>
    MovDr = 29,
    /// <summary>30: I/O instruction.</summary>
    IoInstruction = 30,
    /// <summary>31: RDMSR.</summary>
    Rdmsr = 31,
    /// <summary>32: WRMSR.</summary>
    Wrmsr = 32,
    /// <summary>33: VM-entry failure due to invalid guest state.</summary>
    EntryFailureInvalidGuestState = 33,
    /// <summary>34: VM-entry failure due to MSR loading.</summary>
    EntryFailureMsrLoading = 34,
    /// <summary>36: MWAIT.</summary>
    Mwait = 36,
    /// <summary>37: Monitor trap flag.</summary>
    MonitorTrapFlag = 37,
    /// <summary>39: MONITOR.</summary>
    Monitor = 39,
    /// <summary>40: PAUSE.</summary>
    Pause = 40,
    /// <summary>41: VM-entry failure due to machine-check event.</summary>
    EntryFailureMachineCheck = 41,
    /// <summary>43: TPR below threshold.</summary>
    TprBelowThreshold = 43,
    /// <summary>44: APIC access.</summary>
    ApicAccess = 44,
    /// <summary>45: Virtualized EOI.</summary>
    VirtualizedEoi = 45,
    /// <summary>46: Access to GDTR or IDTR.</summary>
    GdtrIdtrAccess = 46,
    /// <summary>47: Access to LDTR or TR.</summary>
    LdtrTrAccess = 47,
    /// <summary>48: EPT violation.</summary>
    EptViolation = 48,
    /// <summary>49: EPT misconfiguration.</summary>
    EptMisconfiguration = 49,
    /// <summary>50: INVEPT.</summary>
    Invept = 50,
    /// <summary>51: RDTSCP.</summary>
    Rdtscp = 51,
    /// <summary>52: VMX-preemption timer expired.</summary>
    PreemptionTimerExpired = 52,
    /// <summary>53: INVVPID.</summary>
    Invvpid = 53,
    /// <summary>54: WBINVD or WBNOINVD.</summary>
    Wbinvd = 54,
    /// <summary>55: XSETBV.</summary>
    Xsetbv = 55,
    /// <summary>56: APIC write.</summary>
    ApicWrite = 56,
    /// <summary>57: RDRAND.</summary>
    Rdrand = 57,
    /// <summary>58: INVPCID.</summary>
    Invpcid = 58,
    /// <summary>59: VMFUNC.</summary>
    Vmfunc = 59,
    /// <summary>60: ENCLS.</summary>
    Encls = 60,
    /// <summary>61: RDSEED.</summary>
    Rdseed = 61,
    /// <summary>62: Page-modification log full.</summary>
    PageModificationLogFull = 62,
    /// <summary>63: XSAVES.</summary>
    Xsaves = 63,
    /// <summary>64: XRSTORS.</summary>
    Xrstors = 64,
    /// <summary>65: PCONFIG.</summary>
    Pconfig = 65,
    /// <summary>66: SPP-related event.</summary>
    SppRelatedEvent = 66,
    /// <summary>67: UMWAIT.</summary>
    Umwait = 67,
    /// <summary>68: TPAUSE.</summary>
    Tpause = 68,
    /// <summary>69: LOADIWKEY.</summary>
    Loadiwkey = 69,
    /// <summary>70: ENCLV.</summary>
    Enclv = 70,
    /// <summary>72: ENQCMD PASID translation failure.</summary>
    EnqcmdPasidTranslationFailure = 72,
    /// <summary>73: ENQCMDS PASID translation failure.</summary>
    EnqcmdsPasidTranslationFailure = 73,
    /// <summary>74: Bus lock.</summary>
    BusLock = 74,
    /// <summary>75: Instruction timeout.</summary>
    InstructionTimeout = 75,
    /// <summary>76: SEAMCALL.</summary>
    Seamcall = 76,
    /// <summary>77: TDCALL.</summary>
    Tdcall = 77,
    /// <summary>78: RDMSRLIST.</summary>
    Rdmsrlist = 78,
    /// <summary>79: WRMSRLIST.</summary>
    Wrmsrlist = 79,
}
