namespace Xen.Sdk.Reference.Services;

/// <summary>The wall clock the hypervisor publishes in <c>shared_info.wc_sec</c> / <c>wc_nsec</c> (xen.h: seconds and
/// nanoseconds since 1970-01-01 00:00:00 UTC at system time 0): the conversion from the PC's CMOS real-time clock
/// (MC146818 registers 00h seconds, 02h minutes, 04h hours, 07h day of month, 08h month, 09h year, 32h century, status
/// register B at 0Bh: bit 2 = binary (else BCD), bit 1 = 24-hour (else 12-hour with bit 7 of the hour = PM)) to seconds
/// since the epoch. The RTC is taken to hold UTC (QEMU's default <c>-rtc base=utc</c>; Bochs starts it at the host's
/// local time, which is UTC on the machines the tests run on). Freestanding: integers only.</summary>
public static class XenWallClock
{
    /// <summary>Status register B bit 1: 24-hour mode.</summary>
    public const byte Mode24Hour = 1 << 1;
    /// <summary>Status register B bit 2: binary (not BCD) values.</summary>
    public const byte ModeBinary = 1 << 2;

    /// <summary>Days from 1970-01-01 to the proleptic Gregorian date <paramref name="year"/>-<paramref name="month"/>-
    /// <paramref name="day"/> (negative before 1970). Counts in 400-year eras of 146,097 days, with the year starting
    /// in March so that the leap day is the era-year's last day.</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - era * 400;                                         // 0 .. 399
        int shifted = month > 2 ? month - 3 : month + 9;                        // March = 0 .. February = 11
        long dayOfYear = (153 * shifted + 2) / 5 + day - 1;                     // 0 .. 365
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;                              // 719,468 days from 0000-03-01 to 1970-01-01
    }

    /// <summary>Whether <paramref name="year"/> is a Gregorian leap year.</summary>
    public static bool IsLeapYear(long year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    /// <summary>Days in <paramref name="month"/> (1-12) of <paramref name="year"/>.</summary>
    public static int DaysInMonth(long year, int month) =>
        month == 2 ? (IsLeapYear(year) ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;

    /// <summary>Seconds since the epoch of a UTC date and time; false for a field out of range (month 1-12, day within
    /// the month, hour 0-23, minute and second 0-59, year 1970-9999).</summary>
    public static bool TryToUnixSeconds(long year, int month, int day, int hour, int minute, int second, out ulong seconds)
    {
        seconds = 0;
        if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
            hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
        seconds = (ulong)(DaysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second);
        return true;
    }

    /// <summary>A BCD byte's value, or -1 when a digit is above 9.</summary>
    public static int FromBcd(byte value)
    {
        int hi = value >> 4, lo = value & 0xF;
        return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
    }

    /// <summary>Converts the RTC registers to seconds since the epoch. <paramref name="century"/> (register 32h, same
    /// encoding as the others) is used when it gives 19-99; otherwise years 00-69 are taken as 20xx and 70-99 as 19xx.
    /// False when a register holds an impossible value (a bad BCD digit, a field out of range).</summary>
    public static bool TryFromRtc(byte second, byte minute, byte hour, byte day, byte month, byte year, byte century, byte statusB, out ulong seconds)
    {
        seconds = 0;
        bool binary = (statusB & ModeBinary) != 0;
        bool pm = (statusB & Mode24Hour) == 0 && (hour & 0x80) != 0;
        int s = Decode(second, binary), m = Decode(minute, binary), h = Decode((byte)(hour & 0x7F), binary);
        int d = Decode(day, binary), mo = Decode(month, binary), y = Decode(year, binary), c = Decode(century, binary);
        if (s < 0 || m < 0 || h < 0 || d < 0 || mo < 0 || y < 0 || y > 99) return false;
        if ((statusB & Mode24Hour) == 0)
        {
            // 12-hour mode: 12 AM is hour 0, 12 PM is 12, 1-11 PM are 13-23.
            if (h < 1 || h > 12) return false;
            h = h % 12 + (pm ? 12 : 0);
        }
        long fullYear = c >= 19 && c <= 99 ? c * 100L + y : (y < 70 ? 2000 + y : 1900 + y);
        return TryToUnixSeconds(fullYear, mo, d, h, m, s, out seconds);
    }

    private static int Decode(byte value, bool binary) => binary ? value : FromBcd(value);
}
