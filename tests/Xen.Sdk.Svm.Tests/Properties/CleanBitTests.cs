using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Xen.Sdk.Svm.Tests.Properties;

/// <summary>Clean-bit bookkeeping: a tracked write that changes a field clears exactly the clean bit of
/// the field's group (AMD APM Vol. 2 §15.15.3, Table 15-9); an unchanged write clears nothing.</summary>
public sealed class CleanBitTests
{
    private delegate void Writer(ref Vmcb v, ulong x);

    private static readonly (string Name, VmcbCleanBits Group, Writer Write)[] Writers =
    {
        ("Cr0", VmcbCleanBits.ControlRegisters, (ref Vmcb v, ulong x) => v.Cr0 = x),
        ("Cr3", VmcbCleanBits.ControlRegisters, (ref Vmcb v, ulong x) => v.Cr3 = x),
        ("Cr4", VmcbCleanBits.ControlRegisters, (ref Vmcb v, ulong x) => v.Cr4 = x),
        ("Efer", VmcbCleanBits.ControlRegisters, (ref Vmcb v, ulong x) => v.Efer = x),
        ("Cr2", VmcbCleanBits.Cr2, (ref Vmcb v, ulong x) => v.Cr2 = x),
        ("Dr6", VmcbCleanBits.DebugRegisters, (ref Vmcb v, ulong x) => v.Dr6 = x),
        ("Dr7", VmcbCleanBits.DebugRegisters, (ref Vmcb v, ulong x) => v.Dr7 = x),
        ("Gdtr", VmcbCleanBits.DescriptorTables, (ref Vmcb v, ulong x) => v.Gdtr = new VmcbSegment(0, default, (uint)x, x)),
        ("Idtr", VmcbCleanBits.DescriptorTables, (ref Vmcb v, ulong x) => v.Idtr = new VmcbSegment(0, default, (uint)x, x)),
        ("Cs", VmcbCleanBits.Segments, (ref Vmcb v, ulong x) => v.Cs = new VmcbSegment((ushort)x, default, 0, x)),
        ("Ss", VmcbCleanBits.Segments, (ref Vmcb v, ulong x) => v.Ss = new VmcbSegment((ushort)x, default, 0, x)),
        ("Cpl", VmcbCleanBits.Segments, (ref Vmcb v, ulong x) => v.Cpl = (byte)x),
        ("Asid", VmcbCleanBits.Asid, (ref Vmcb v, ulong x) => v.GuestAsid = (uint)x),
        ("Iopm", VmcbCleanBits.PermissionMaps, (ref Vmcb v, ulong x) => v.IopmBasePa = x),
        ("Msrpm", VmcbCleanBits.PermissionMaps, (ref Vmcb v, ulong x) => v.MsrpmBasePa = x),
        ("Tsc", VmcbCleanBits.Intercepts, (ref Vmcb v, ulong x) => v.TscOffset = x),
        ("Exc", VmcbCleanBits.Intercepts, (ref Vmcb v, ulong x) => v.ExceptionIntercepts = (uint)x),
        ("I3", VmcbCleanBits.Intercepts, (ref Vmcb v, ulong x) => v.Intercepts3 = (SvmIntercept3)(uint)x),
        ("I4", VmcbCleanBits.Intercepts, (ref Vmcb v, ulong x) => v.Intercepts4 = (SvmIntercept4)(uint)x),
        ("NCr3", VmcbCleanBits.NestedPaging, (ref Vmcb v, ulong x) => v.NestedCr3 = x),
        ("GPat", VmcbCleanBits.NestedPaging, (ref Vmcb v, ulong x) => v.GPat = x),
        ("Np", VmcbCleanBits.NestedPaging, (ref Vmcb v, ulong x) => v.NestedControl = (SvmNestedControl)x),
        ("VIntr", VmcbCleanBits.Tpr, (ref Vmcb v, ulong x) => v.VirtualInterrupt = new SvmVirtualInterruptControl(x)),
        ("DbgCtl", VmcbCleanBits.Lbr, (ref Vmcb v, ulong x) => v.DbgCtl = x),
        ("Avic", VmcbCleanBits.Avic, (ref Vmcb v, ulong x) => v.AvicBackingPage = x),
        ("SCet", VmcbCleanBits.Cet, (ref Vmcb v, ulong x) => v.SCet = x),
    };

    [Property(MaxTest = 400)]
    public bool Tracked_write_clears_exactly_its_group(byte which, ulong value)
    {
        var w = Writers[which % Writers.Length];
        var v = new Vmcb();
        w.Write(ref v, value);          // establish a value
        v.Control.CleanBits = VmcbCleanBits.All;
        w.Write(ref v, value);          // same value: stays clean
        if (v.Control.CleanBits != VmcbCleanBits.All) return false;
        w.Write(ref v, ~value);         // changed value: exactly the group's bit is cleared
        return v.Control.CleanBits == (VmcbCleanBits.All & ~w.Group);
    }

    [Fact]
    public void MarkClean_respects_the_capability()
    {
        var v = new Vmcb();
        v.MarkClean(SvmCapabilities.Qemu72Tcg);
        Assert.Equal(VmcbCleanBits.None, v.Control.CleanBits);
        v.MarkClean(SvmCapabilities.Qemu72Tcg.WithFeatures(SvmFeatures.VmcbClean));
        Assert.Equal(VmcbCleanBits.All, v.Control.CleanBits);
        v.MarkAllDirty();
        Assert.Equal(VmcbCleanBits.None, v.Control.CleanBits);
    }
}
