namespace Xen.Sdk.Svm;

/// <summary>A vCPU's ASID assignment: the ASID and the allocator generation it belongs to.</summary>
public struct SvmAsidAssignment
{
    /// <summary>The ASID (0 = none yet).</summary>
    public uint Asid;
    /// <summary>The generation of the physical CPU's allocator when the ASID was handed out.</summary>
    public ulong Generation;
}

/// <summary>
/// Per-physical-CPU ASID allocation by generations (AMD APM Vol. 2 §15.16): ASIDs 1..N-1 are handed out in
/// order; when they run out, the generation advances, every vCPU must take a new ASID, and the next VMRUN
/// flushes the whole TLB (TLB_CONTROL = 1, valid on every SVM processor).
/// </summary>
/// <remarks>One instance per physical CPU, used only on that CPU; no locking, no allocation.</remarks>
public struct SvmAsidAllocator
{
    private readonly uint _count;
    private bool _flushPending;
    private uint _next;
    private ulong _generation;

    /// <summary>Creates an allocator for a processor with <see cref="SvmCapabilities.AsidCount"/> ASIDs.</summary>
    /// <param name="capabilities">The processor's capabilities.</param>
    public SvmAsidAllocator(in SvmCapabilities capabilities)
    {
        _count = capabilities.AsidCount < 2 ? 2 : capabilities.AsidCount;
        _flushPending = true; // the TLB's state before the first VMRUN is unknown
        _next = 1;
        _generation = 1;
    }

    /// <summary>The current generation.</summary>
    public readonly ulong Generation => _generation;

    /// <summary>Makes sure the vCPU holds a valid ASID of the current generation before VMRUN and writes
    /// the ASID and the TLB_CONTROL the VMRUN needs into the VMCB.</summary>
    /// <param name="assignment">The vCPU's assignment (updated).</param>
    /// <param name="vmcb">The vCPU's VMCB.</param>
    /// <returns>The TLB_CONTROL value written.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public SvmTlbControl Prepare(ref SvmAsidAssignment assignment, ref Vmcb vmcb)
    {
        // Fast path, every VMRUN but the first of a generation: the ASID is still valid and no flush is owed
        // (non-short-circuit operators: one branch).
        if ((assignment.Asid != 0) & (assignment.Generation == _generation) & !_flushPending)
        {
            vmcb.GuestAsid = assignment.Asid;
            vmcb.TlbControl = SvmTlbControl.DoNothing;
            return SvmTlbControl.DoNothing;
        }
        return PrepareSlow(ref assignment, ref vmcb);
    }

    private SvmTlbControl PrepareSlow(ref SvmAsidAssignment assignment, ref Vmcb vmcb)
    {
        if (assignment.Asid == 0 || assignment.Generation != _generation)
        {
            if (_next >= _count)
            {
                // Out of ASIDs: start a new generation; every ASID handed out from now on may carry stale
                // translations from the previous generation, so the next VMRUN flushes the whole TLB.
                _generation++;
                _next = 1;
                _flushPending = true;
            }
            assignment.Asid = _next++;
            assignment.Generation = _generation;
            // The VMCB now runs under another ASID: none of its cached state may be reused (AMD APM Vol. 2 §15.15.3).
            vmcb.MarkAllDirty();
        }
        SvmTlbControl tlb = SvmTlbControl.DoNothing;
        if (_flushPending)
        {
            tlb = SvmTlbControl.FlushAll;
            _flushPending = false;
        }
        vmcb.GuestAsid = assignment.Asid;
        vmcb.TlbControl = tlb;
        return tlb;
    }

    /// <summary>Forces every vCPU on this CPU to take a new ASID at its next VMRUN (e.g. after a guest
    /// page-table change that must flush all ASIDs).</summary>
    public void NewGeneration()
    {
        _generation++;
        _next = 1;
        _flushPending = true;
    }
}
