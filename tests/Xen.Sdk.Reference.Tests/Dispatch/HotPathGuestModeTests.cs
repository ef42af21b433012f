using Xunit;

namespace Xen.Sdk.Reference.Tests.Dispatch;

/// <summary><see cref="GuestModes.From"/> on all 16 combinations of CR0.PE, EFER.LMA, CS.L and CS.D, against the
/// manuals' table written out by hand: CR0.PE = 0 is real mode whatever the rest; with long mode active, CS.L = 1 is
/// 64-bit mode (CS.D must then be 0, and is ignored here); otherwise (legacy protected or compatibility mode) CS.D
/// selects 32- or 16-bit code (Intel SDM Vol. 3A §5.2.1; AMD APM Vol. 2 §4.8.1). CS.L without LMA is ignored.</summary>
public sealed class HotPathGuestModeTests
{
    [Theory]
    //          PE     LMA    CS.L   CS.D   expected
    [InlineData(false, false, false, false, GuestMode.Real16)]
    [InlineData(false, false, false, true, GuestMode.Real16)]
    [InlineData(false, false, true, false, GuestMode.Real16)]
    [InlineData(false, false, true, true, GuestMode.Real16)]
    [InlineData(false, true, false, false, GuestMode.Real16)]
    [InlineData(false, true, false, true, GuestMode.Real16)]
    [InlineData(false, true, true, false, GuestMode.Real16)]
    [InlineData(false, true, true, true, GuestMode.Real16)]
    [InlineData(true, false, false, false, GuestMode.Protected16)]
    [InlineData(true, false, false, true, GuestMode.Protected32)]
    [InlineData(true, false, true, false, GuestMode.Protected16)]
    [InlineData(true, false, true, true, GuestMode.Protected32)]
    [InlineData(true, true, false, false, GuestMode.Protected16)]   // compatibility mode, 16-bit code
    [InlineData(true, true, false, true, GuestMode.Protected32)]    // compatibility mode, 32-bit code
    [InlineData(true, true, true, false, GuestMode.Long64)]
    [InlineData(true, true, true, true, GuestMode.Long64)]          // L = D = 1 is reserved; L decides
    public void AllSixteenCombinations(bool pe, bool lma, bool csL, bool csD, GuestMode expected)
    {
        Assert.Equal(expected, GuestModes.From(pe, lma, csL, csD));
    }
}
