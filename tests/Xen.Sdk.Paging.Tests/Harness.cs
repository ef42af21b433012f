using System;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Paging.Validation;
using Xen.Sdk.Paging.Walking;

namespace Xen.Sdk.Paging.Tests;

/// <summary>One format under test, behind a common face for the model-based properties.</summary>
internal abstract class Harness : IDisposable
{
    public readonly HostArena Arena;
    protected Harness(ulong arenaBytes, ulong baseAddress = 0x1_0000_0000UL) => Arena = new HostArena(arenaBytes, baseAddress);
    public abstract string Name { get; }
    public abstract ulong InputLimit { get; }
    public abstract ulong OutputLimit { get; }
    public abstract PageAttributes[] Attributes { get; }
    public abstract PagingStatus Map(ulong input, ulong output, ulong length, in PageAttributes a, PageSize largest);
    public abstract PagingStatus Unmap(ulong input, ulong length);
    public abstract PagingStatus Protect(ulong input, ulong length, in PageAttributes a);
    public abstract PagingStatus Split(ulong input, PageSize target);
    public abstract int Merge(ulong input, ulong length);
    public abstract bool TryLookup(ulong input, out ulong output, out PageSize size, out PageAttributes a);
    public abstract int Validate(Span<ValidationIssue> issues);
    public abstract void Census(out int tables, out int empty);
    public abstract FlushHint TakeFlush();
    /// <summary>Walks the address like the CPU for a read/write/fetch; returns null if translated to the expected
    /// address with the expected decision, else a description of the mismatch.</summary>
    public abstract string? CheckWalk(ulong input, bool mapped, ulong expectedOutput, in PageAttributes expected);
    public long LiveFrames => Arena.Frames.LiveFrames;
    public abstract void Release();
    public void Dispose() => Arena.Dispose();
}

internal sealed class SecondLevelHarness<TFormat> : Harness where TFormat : struct, IPagingFormat
{
    private SecondLevelTables<TFormat, ArenaFrameSource> _t;
    private readonly PageAttributes[] _attrs;
    private readonly string _name;

    public SecondLevelHarness(string name, TFormat format, PageAttributes[] attrs, bool autoMerge) : base(64UL << 20)
    {
        _name = name;
        _attrs = attrs;
        if (SecondLevelTables<TFormat, ArenaFrameSource>.Create(format, Arena.Frames, out _t, autoMerge) != PagingStatus.Ok)
            throw new InvalidOperationException();
    }

    public override string Name => _name;
    public override ulong InputLimit => 1UL << _t.Format.InputBits;
    public override ulong OutputLimit => _t.Format.OutputLimit;
    public override PageAttributes[] Attributes => _attrs;
    public override PagingStatus Map(ulong i, ulong o, ulong l, in PageAttributes a, PageSize s) => _t.Map(new(i), new(o), l, a, s);
    public override PagingStatus Unmap(ulong i, ulong l) => _t.Unmap(new(i), l);
    public override PagingStatus Protect(ulong i, ulong l, in PageAttributes a) => _t.Protect(new(i), l, a);
    public override PagingStatus Split(ulong i, PageSize s) => _t.Split(new(i), s);
    public override int Merge(ulong i, ulong l) => _t.Merge(new(i), l);
    public override bool TryLookup(ulong i, out ulong o, out PageSize s, out PageAttributes a)
    {
        bool ok = _t.TryLookup(new(i), out HostPhysicalAddress h, out s, out a);
        o = h.Value;
        return ok;
    }
    public override int Validate(Span<ValidationIssue> issues) => PageTableValidator.Validate(_t, issues);
    public override void Census(out int tables, out int empty) => _t.Census(out tables, out empty);
    public override FlushHint TakeFlush() => _t.TakeFlushHint();
    public override void Release() => _t.Release();

    public override string? CheckWalk(ulong input, bool mapped, ulong expectedOutput, in PageAttributes expected)
    {
        var frames = Arena.Frames;
        foreach (AccessKind kind in new[] { AccessKind.Read, AccessKind.Write, AccessKind.Execute })
        {
            var access = NestedAccess.Physical(kind);
            SecondLevelWalk w;
            bool allowed;
            if (_t.Format is EptFormat ept)
            {
                w = EptWalker.Walk(ref frames, ept, _t.Root, new GuestPhysicalAddress(input), access);
                allowed = mapped && kind switch
                {
                    AccessKind.Read => (expected.Access & PageAccess.Read) != 0,
                    AccessKind.Write => (expected.Access & PageAccess.Write) != 0,
                    _ => (expected.Access & PageAccess.Execute) != 0,
                };
                if (!allowed)
                {
                    if (w.Outcome != WalkOutcome.EptViolation) return $"{kind}: expected EPT violation, got {w.Outcome}";
                    ulong want = (kind == AccessKind.Read ? 1UL : kind == AccessKind.Write ? 2UL : 4UL)
                               | (mapped ? (ulong)(expected.Access & PageAccess.ReadWriteExecute) << 3 : 0);
                    if (w.Qualification.Value != want) return $"{kind}: qualification {w.Qualification.Value:x} != {want:x}";
                    continue;
                }
            }
            else if (_t.Format is NptFormat npt)
            {
                w = NptWalker.Walk(ref frames, npt, _t.Root, new GuestPhysicalAddress(input), access);
                allowed = mapped && kind switch
                {
                    AccessKind.Write => (expected.Access & PageAccess.Write) != 0,
                    AccessKind.Execute => (expected.Access & PageAccess.Execute) != 0,
                    _ => true,
                };
                if (!allowed)
                {
                    if (w.Outcome != WalkOutcome.NestedPageFault) return $"{kind}: expected NPF, got {w.Outcome}";
                    ulong want = NpfErrorCode.User | NpfErrorCode.FinalTranslation | (mapped ? NpfErrorCode.Present : 0)
                               | (kind == AccessKind.Write ? NpfErrorCode.Write : 0) | (kind == AccessKind.Execute ? NpfErrorCode.InstructionFetch : 0);
                    if (w.ErrorCode.Value != want) return $"{kind}: error code {w.ErrorCode.Value:x} != {want:x}";
                    continue;
                }
            }
            else return "unknown format";
            if (!w.IsOk) return $"{kind}: expected translation, got {w.Outcome}";
            if (w.HostAddress.Value != expectedOutput + (input & 0xFFF)) return $"{kind}: walked to {w.HostAddress.Value:x}, model says {expectedOutput:x}";
            if (w.Attributes.MemoryType != expected.MemoryType) return $"{kind}: memory type {w.Attributes.MemoryType} != {expected.MemoryType}";
        }
        return null;
    }
}

internal sealed class GuestHarness<TFormat> : Harness where TFormat : struct, IPagingFormat
{
    private GuestPageTables<TFormat, ArenaFrameSource> _t;
    private readonly PageAttributes[] _attrs;
    private readonly string _name;
    private readonly GuestPagingState _state;

    public GuestHarness(string name, TFormat format, PageAttributes[] attrs, bool autoMerge, GuestPagingState state) : base(64UL << 20, 0x1000_0000UL)
    {
        _name = name;
        _attrs = attrs;
        _state = state;
        if (GuestPageTables<TFormat, ArenaFrameSource>.Create(format, Arena.Frames, out _t, autoMerge) != PagingStatus.Ok)
            throw new InvalidOperationException();
    }

    public override string Name => _name;
    public override ulong InputLimit => 1UL << _t.Format.InputBits;
    public override ulong OutputLimit => _t.Format.OutputLimit;
    public override PageAttributes[] Attributes => _attrs;
    public override PagingStatus Map(ulong i, ulong o, ulong l, in PageAttributes a, PageSize s) => _t.Map(new(i), new(o), l, a, s);
    public override PagingStatus Unmap(ulong i, ulong l) => _t.Unmap(new(i), l);
    public override PagingStatus Protect(ulong i, ulong l, in PageAttributes a) => _t.Protect(new(i), l, a);
    public override PagingStatus Split(ulong i, PageSize s) => _t.Split(new(i), s);
    public override int Merge(ulong i, ulong l) => _t.Merge(new(i), l);
    public override bool TryLookup(ulong i, out ulong o, out PageSize s, out PageAttributes a)
    {
        bool ok = _t.TryLookup(new(i), out GuestPhysicalAddress g, out s, out a);
        o = g.Value;
        return ok;
    }
    public override int Validate(Span<ValidationIssue> issues) => PageTableValidator.Validate(_t, issues);
    public override void Census(out int tables, out int empty) => _t.Census(out tables, out empty);
    public override FlushHint TakeFlush() => _t.TakeFlushHint();
    public override void Release() => _t.Release();

    public override string? CheckWalk(ulong input, bool mapped, ulong expectedOutput, in PageAttributes expected)
    {
        var mem = new IdentityGuestMemory<ArenaFrameSource>(Arena.Frames, Arena.Frames.BaseAddress, Arena.Length);
        var state = _state with { Cr3 = _t.Root.Value };
        // A supervisor read (SMAP off) succeeds exactly when the page is mapped; a user write exactly when the page
        // is user and writable; a user fetch when user and executable.
        foreach (var (kind, user) in new[] { (AccessKind.Read, false), (AccessKind.Write, true), (AccessKind.Execute, true) })
        {
            int bits = _t.Format.InputBits;
            ulong va = bits == 32 ? input : (ulong)(((long)input << (64 - bits)) >> (64 - bits));
            GuestWalkResult r = GuestWalker.Walk(ref mem, state, new GuestVirtualAddress(va), new GuestAccess { Kind = kind, User = user });
            bool allowed = mapped && (!user || ((expected.Access & PageAccess.User) != 0
                && (kind != AccessKind.Write || (expected.Access & PageAccess.Write) != 0)
                && (kind != AccessKind.Execute || (expected.Access & PageAccess.Execute) != 0)));
            if (!allowed)
            {
                if (r.Outcome != WalkOutcome.PageFault) return $"{kind}: expected #PF, got {r.Outcome}";
                if (r.ErrorCode.IsProtection != mapped) return $"{kind}: #PF P bit {r.ErrorCode.Value:x}";
                continue;
            }
            if (!r.IsOk) return $"{kind}/{user}: expected translation, got {r.Outcome} {r.ErrorCode.Value:x}";
            if (r.GuestAddress.Value != expectedOutput + (input & 0xFFF)) return $"{kind}: walked to {r.GuestAddress.Value:x}, model says {expectedOutput:x}";
        }
        return null;
    }
}
