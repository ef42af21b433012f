using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Sdk.Svm;

/// <summary>
/// The virtual-interrupt control quadword at VMCB offset 060h: V_TPR, V_IRQ, VGIF, V_NMI, V_INTR_PRIO,
/// V_IGN_TPR, V_INTR_MASKING, vGIF enable, vNMI enable, AVIC enables and V_INTR_VECTOR
/// (AMD APM Vol. 2 §15.21.2, Appendix B Table B-1).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public struct SvmVirtualInterruptControl
{
    /// <summary>V_IRQ, bit 8: a virtual interrupt is pending.</summary>
    public const ulong VIrqBit = 1ul << 8;
    /// <summary>V_GIF, bit 9: the virtual global interrupt flag.</summary>
    public const ulong VGifBit = 1ul << 9;
    /// <summary>V_NMI, bit 11: a virtual NMI is pending.</summary>
    public const ulong VNmiBit = 1ul << 11;
    /// <summary>V_NMI_MASK, bit 12: virtual NMIs are masked.</summary>
    public const ulong VNmiMaskBit = 1ul << 12;
    /// <summary>V_IGN_TPR, bit 20.</summary>
    public const ulong VIgnTprBit = 1ul << 20;
    /// <summary>V_INTR_MASKING, bit 24.</summary>
    public const ulong VIntrMaskingBit = 1ul << 24;
    /// <summary>Virtual GIF enable, bit 25.</summary>
    public const ulong VGifEnableBit = 1ul << 25;
    /// <summary>Virtual NMI enable, bit 26.</summary>
    public const ulong VNmiEnableBit = 1ul << 26;
    /// <summary>x2AVIC enable, bit 30.</summary>
    public const ulong X2AvicEnableBit = 1ul << 30;
    /// <summary>AVIC enable, bit 31.</summary>
    public const ulong AvicEnableBit = 1ul << 31;

    /// <summary>The raw quadword.</summary>
    public ulong Value;

    /// <summary>Wraps a raw value.</summary>
    /// <param name="value">The raw quadword.</param>
    public SvmVirtualInterruptControl(ulong value) => Value = value;

    /// <summary>V_TPR, bits 7:0 (bits 3:0 are the virtual CR8).</summary>
    public byte VTpr { readonly get => (byte)Value; set => Value = (Value & ~0xFFul) | value; }
    /// <summary>V_IRQ, bit 8.</summary>
    public bool VIrq { readonly get => (Value & VIrqBit) != 0; set => Set(VIrqBit, value); }
    /// <summary>V_GIF, bit 9.</summary>
    public bool VGif { readonly get => (Value & VGifBit) != 0; set => Set(VGifBit, value); }
    /// <summary>V_NMI, bit 11.</summary>
    public bool VNmi { readonly get => (Value & VNmiBit) != 0; set => Set(VNmiBit, value); }
    /// <summary>V_NMI_MASK, bit 12.</summary>
    public bool VNmiMask { readonly get => (Value & VNmiMaskBit) != 0; set => Set(VNmiMaskBit, value); }
    /// <summary>V_INTR_PRIO, bits 19:16.</summary>
    public int VIntrPriority { readonly get => (int)((Value >> 16) & 0xF); set => Value = (Value & ~(0xFul << 16)) | ((ulong)(value & 0xF) << 16); }
    /// <summary>V_IGN_TPR, bit 20.</summary>
    public bool VIgnoreTpr { readonly get => (Value & VIgnTprBit) != 0; set => Set(VIgnTprBit, value); }
    /// <summary>V_INTR_MASKING, bit 24: virtualise EFLAGS.IF and TPR for the guest.</summary>
    public bool VIntrMasking { readonly get => (Value & VIntrMaskingBit) != 0; set => Set(VIntrMaskingBit, value); }
    /// <summary>Virtual GIF enable, bit 25.</summary>
    public bool VGifEnable { readonly get => (Value & VGifEnableBit) != 0; set => Set(VGifEnableBit, value); }
    /// <summary>Virtual NMI enable, bit 26.</summary>
    public bool VNmiEnable { readonly get => (Value & VNmiEnableBit) != 0; set => Set(VNmiEnableBit, value); }
    /// <summary>x2AVIC enable, bit 30.</summary>
    public bool X2AvicEnable { readonly get => (Value & X2AvicEnableBit) != 0; set => Set(X2AvicEnableBit, value); }
    /// <summary>AVIC enable, bit 31.</summary>
    public bool AvicEnable { readonly get => (Value & AvicEnableBit) != 0; set => Set(AvicEnableBit, value); }
    /// <summary>V_INTR_VECTOR, bits 39:32.</summary>
    public byte VIntrVector { readonly get => (byte)(Value >> 32); set => Value = (Value & ~(0xFFul << 32)) | ((ulong)value << 32); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Set(ulong bit, bool on) => Value = on ? Value | bit : Value & ~bit;
}

/// <summary>
/// The interrupt-state quadword at VMCB offset 068h (AMD APM Vol. 2 §15.21.5, Appendix B Table B-1).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public struct SvmInterruptState
{
    /// <summary>INTERRUPT_SHADOW, bit 0: the guest is in an interrupt shadow (after STI or MOV SS).</summary>
    public const ulong InterruptShadowBit = 1ul << 0;
    /// <summary>GUEST_INTERRUPT_MASK, bit 1: the guest's EFLAGS.IF value when V_INTR_MASKING is on (written on #VMEXIT).</summary>
    public const ulong GuestInterruptMaskBit = 1ul << 1;

    /// <summary>The raw quadword.</summary>
    public ulong Value;

    /// <summary>Wraps a raw value.</summary>
    /// <param name="value">The raw quadword.</param>
    public SvmInterruptState(ulong value) => Value = value;

    /// <summary>INTERRUPT_SHADOW.</summary>
    public bool InterruptShadow { readonly get => (Value & InterruptShadowBit) != 0; set => Value = value ? Value | InterruptShadowBit : Value & ~InterruptShadowBit; }
    /// <summary>GUEST_INTERRUPT_MASK.</summary>
    public bool GuestInterruptMask { readonly get => (Value & GuestInterruptMaskBit) != 0; set => Value = value ? Value | GuestInterruptMaskBit : Value & ~GuestInterruptMaskBit; }
}
