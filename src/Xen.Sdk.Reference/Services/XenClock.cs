using System.Threading;
using Xen.Sdk.Abi;

namespace Xen.Sdk.Reference.Services;

/// <summary>Xen system time for one domain: nanoseconds since the services were configured, derived from the host TSC
/// (the guest reads the same counter) with the pvclock scale of <c>struct vcpu_time_info</c> (xen/include/public/xen.h):
/// <c>ns = system_time + ((tsc - tsc_timestamp) shifted left by tsc_shift (right when negative)) * tsc_to_system_mul
/// / 2^32</c>. The multiplier is a 32-bit fraction, so the TSC rate is first brought into (10^9, 2·10^9] ticks per
/// second by the shift, as Xen's time-scale setup does.</summary>
public struct XenClock
{
    /// <summary>TSC ticks per second (0: not configured; timer hypercalls answer <c>-ENOSYS</c>).</summary>
    public ulong TicksPerSecond;
    /// <summary>TSC value at system time 0.</summary>
    public ulong TscBase;
    /// <summary><c>tsc_to_system_mul</c>.</summary>
    public uint Mul;
    /// <summary><c>tsc_shift</c>.</summary>
    public sbyte Shift;
    /// <summary><c>tsc_timestamp</c> of the last published record.</summary>
    public ulong PublishedTsc;
    /// <summary><c>system_time</c> of the last published record.</summary>
    public ulong PublishedTime;

    /// <summary>Whether the clock is configured.</summary>
    public readonly bool Configured => TicksPerSecond != 0;

    /// <summary>Starts system time at <paramref name="tscNow"/> for a TSC of <paramref name="ticksPerSecond"/>.</summary>
    public void Configure(ulong ticksPerSecond, ulong tscNow)
    {
        if (ticksPerSecond == 0)
        {
            this = default;
            return;
        }
        TicksPerSecond = ticksPerSecond;
        TscBase = tscNow;
        PublishedTsc = tscNow;
        PublishedTime = 0;
        ComputeScale(ticksPerSecond, out Mul, out Shift);
    }

    /// <summary>The pvclock scale for a counter of <paramref name="ticksPerSecond"/> (&gt; 0): <paramref name="shift"/>
    /// brings the rate into (10^9, 2·10^9], <paramref name="mul"/> = 10^9 · 2^32 / shifted rate (&lt; 2^32).</summary>
    public static void ComputeScale(ulong ticksPerSecond, out uint mul, out sbyte shift)
    {
        const ulong Billion = 1_000_000_000UL;
        ulong rate = ticksPerSecond == 0 ? 1 : ticksPerSecond;
        int s = 0;
        while (rate > 2 * Billion)
        {
            rate >>= 1;
            s--;
        }
        while (rate <= Billion)
        {
            rate <<= 1;
            s++;
        }
        mul = (uint)((Billion << 32) / rate);
        shift = (sbyte)s;
    }

    /// <summary>Scales a TSC delta to nanoseconds (the guest-side pvclock formula, 64 × 32 → 96-bit product, bits 95:32).</summary>
    public static ulong Scale(ulong delta, uint mul, sbyte shift)
    {
        if (shift < 0) delta >>= -shift;
        else delta <<= shift;
        ulong hi = (delta >> 32) * mul;
        ulong lo = (delta & 0xFFFF_FFFFUL) * mul;
        return hi + (lo >> 32);
    }

    /// <summary>System time (ns) at TSC value <paramref name="tsc"/>, computed from the last published record exactly as
    /// the guest computes it (so a deadline the hypervisor sees as passed has passed for the guest too: the two never
    /// disagree by a rounding).</summary>
    public readonly ulong SystemTime(ulong tsc) => tsc <= PublishedTsc ? PublishedTime : PublishedTime + Scale(tsc - PublishedTsc, Mul, Shift);

    /// <summary>Publishes the time parameters into <paramref name="info"/> (vcpu_info.time in shared_info) as Xen
    /// does: <c>version</c> made odd, the fields written, <c>version</c> made even again, so a guest that reads
    /// version, fields, version and retries while they differ or are odd never uses a torn record.</summary>
    public unsafe void Publish(VcpuTimeInfo* info, ulong tscNow)
    {
        ulong now = SystemTime(tscNow);
        if (tscNow > PublishedTsc)
        {
            PublishedTsc = tscNow;
            PublishedTime = now;
        }
        // SAFETY: info points into a whole shared_info page (vcpu_info[0].time at offset 32); the guest only reads it.
        uint version = Volatile.Read(ref info->Version);
        if ((version & 1) != 0) version++;           // never leave it odd (a guest may have scribbled on it)
        Volatile.Write(ref info->Version, version + 1);
        // Barrier: the odd version is visible before any field changes (x86 keeps stores in order; Volatile.Write also
        // stops the compiler from reordering the plain stores below above it).
        info->TscTimestamp = PublishedTsc;
        info->SystemTime = PublishedTime;
        info->TscToSystemMul = Mul;
        info->TscShift = Shift;
        info->Flags = 0;
        // Barrier: the fields are visible before the even version (release store).
        Volatile.Write(ref info->Version, version + 2);
    }
}
