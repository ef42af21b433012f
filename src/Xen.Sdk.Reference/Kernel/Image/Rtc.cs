using Xen.Sdk.Reference.Services;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>The PC's CMOS real-time clock (MC146818: index port 70h, data port 71h), read for the Xen wall clock
    /// (<c>shared_info.wc_sec</c>). Register A bit 7 = update in progress; the registers are read while it is clear and
    /// read again until two reads agree, so a read never mixes two seconds. NMI masking (bit 7 of the index) is kept
    /// clear.</summary>
    internal static class Rtc
    {
        private static byte Read(uint register)
        {
            Native.OutB(0x70, register & 0x7F);
            return Native.InB(0x71);
        }

        private static void WaitNotUpdating()
        {
            // The update cycle takes under 2 ms once a second; bounded so a missing RTC cannot hang the boot.
            for (int i = 0; i < 1_000_000 && (Read(0x0A) & 0x80) != 0; i++) { }
        }

        /// <summary>Seconds since 1970-01-01 00:00:00 UTC from the RTC (taken to hold UTC); false when its registers
        /// hold no valid date.</summary>
        public static bool TryReadUnixSeconds(out ulong seconds)
        {
            seconds = 0;
            for (int attempt = 0; attempt < 8; attempt++)
            {
                WaitNotUpdating();
                byte s = Read(0x00), m = Read(0x02), h = Read(0x04), d = Read(0x07), mo = Read(0x08), y = Read(0x09), c = Read(0x32);
                WaitNotUpdating();
                if (s != Read(0x00) || m != Read(0x02) || h != Read(0x04) || d != Read(0x07) || mo != Read(0x08) || y != Read(0x09)) continue;
                return XenWallClock.TryFromRtc(s, m, h, d, mo, y, c, Read(0x0B), out seconds);
            }
            return false;
        }
    }
}
