using Xen.Sdk.Abi.Metadata;

namespace Xen.Sdk.Abi.Io;

/// <summary><c>enum tpmif_state</c> (xen/io/tpmif.h): the <c>state</c> byte of <see cref="TpmifSharedPage"/>.</summary>
[CType("enum tpmif_state", "xen/io/tpmif.h")]
public enum TpmifState : uint
{
    /// <summary><c>TPMIF_STATE_IDLE</c>: no contents; vTPM idle; cancel complete.</summary>
    [CConstant("TPMIF_STATE_IDLE", "xen/io/tpmif.h")]
    Idle = 0,

    /// <summary><c>TPMIF_STATE_SUBMIT</c>: request ready; vTPM working.</summary>
    [CConstant("TPMIF_STATE_SUBMIT", "xen/io/tpmif.h")]
    Submit = 1,

    /// <summary><c>TPMIF_STATE_FINISH</c>: response ready; vTPM idle.</summary>
    [CConstant("TPMIF_STATE_FINISH", "xen/io/tpmif.h")]
    Finish = 2,

    /// <summary><c>TPMIF_STATE_CANCEL</c>: cancel requested; vTPM working.</summary>
    [CConstant("TPMIF_STATE_CANCEL", "xen/io/tpmif.h")]
    Cancel = 3,
}
