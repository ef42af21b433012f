using System;
using Internal.Runtime;

namespace Xen.Sdk.Reference.Kernel.SelfTests
{
    /// <summary>
    /// Boot self-test of the kernel runtime's interface dispatch (Kernel/CoreLib/Runtime/InterfaceDispatch.cs): runs
    /// <see cref="InterfaceDispatchProbes.Run"/> (shared generic code calling classes through interfaces) and prints
    /// <c>XENSDK SELFTEST interface_dispatch=ok|failed seed= count= resolved= cache_hits= allocs_during= cached_call_ticks= values=&lt;hex,...&gt;</c>
    /// (<c>dispatch-seed=N</c> on the command line goes into every probe argument).
    /// The values are compared by tests/Xen.Sdk.Reference.Tests with what CoreCLR computes for the same probes;
    /// <c>resolved</c> counts dispatch cells the kernel runtime resolved (0 would mean ilc devirtualised everything and
    /// the test proved nothing). With <c>dispatch-probe=variant</c> on the command line it then makes a variant
    /// interface call, which the runtime does not support and must turn into a panic naming the interface and slot;
    /// <c>dispatch-probe=null</c> makes an interface call on null, which must panic too.
    /// </summary>
    public static unsafe class InterfaceDispatchSelfTest
    {
        /// <summary>Runs the self-test once (allocates the probe objects: boot time only).</summary>
        public static void Run()
        {
            var results = new long[InterfaceDispatchProbes.Count];
            long seed = (long)Multiboot.OptionNumber("dispatch-seed"u8, 0);
            var alpha = new ProbeAlpha();
            var beta = new ProbeBeta();
            var gamma = new ProbeGamma();
            var b = new ProbeBase();
            var derived = new ProbeDerived();
            var leaf = new ProbeLeaf();
            var sum = new ProbeSum();
            var diff = new ProbeDiff();
            var defaultOnly = new ProbeDefaultOnly();
            var defaultOverride = new ProbeDefaultOverride();
            var variantExact = new ProbeVariantExact();
            var variantBoth = new ProbeVariantBoth();
            var text = new ProbeText();
            ulong resolvedBefore = InterfaceDispatch.Resolved, hitsBefore = InterfaceDispatch.CacheHits;
            ulong heapBefore = KernelHeap.AllocationCount;
            int n = InterfaceDispatchProbes.Run(alpha, beta, gamma, b, derived, leaf, sum, diff, defaultOnly, defaultOverride, variantExact, variantBoth, text, seed, results);
            ulong heapDuring = KernelHeap.AllocationCount - heapBefore;
            ulong resolved = InterfaceDispatch.Resolved - resolvedBefore, hits = InterfaceDispatch.CacheHits - hitsBefore;

            // Cost of a dispatch answered by the boot stub's cache: 1000 calls through one cell, TSC ticks per call (on
            // Bochs, whose TSC counts instructions at ips=200000000, about instructions per loop iteration, call and
            // callee included). Every one of the 1000 must be a cache hit (an interrupt handler may add more).
            InterfaceDispatchProbes.Repeat(alpha, 1);
            ulong loopHits = InterfaceDispatch.CacheHits;
            ulong t0 = Native.Rdtsc();
            long sumCheck = InterfaceDispatchProbes.Repeat(alpha, 1000);
            ulong ticks = (Native.Rdtsc() - t0) / 1000;
            loopHits = InterfaceDispatch.CacheHits - loopHits;

            bool ok = n == InterfaceDispatchProbes.Count && resolved > 0 && heapDuring == 0 && sumCheck == 1000 * alpha.First() &&
                      loopHits >= 1000;
            Serial.Write("XENSDK SELFTEST interface_dispatch=");
            Serial.Write(ok ? "ok" : "failed");
            Serial.Write(" seed="); Serial.WriteDec((ulong)seed);
            Serial.Write(" count="); Serial.WriteDec((ulong)n);
            Serial.Write(" resolved="); Serial.WriteDec(resolved);
            Serial.Write(" cache_hits="); Serial.WriteDec(hits);
            Serial.Write(" allocs_during="); Serial.WriteDec(heapDuring);
            Serial.Write(" cached_call_ticks="); Serial.WriteDec(ticks);
            Serial.Write(" values=");
            for (int i = 0; i < n; i++)
            {
                if (i != 0) Serial.Write((byte)',');
                Serial.WriteHex((ulong)results[i], 1);
            }
            Serial.WriteLine();

            if (Multiboot.Option("dispatch-probe"u8).SequenceEqual("null"u8))
            {
                // An interface call on null must stop the kernel with a message, not jump through a wild pointer.
                Serial.WriteLine("XENSDK SELFTEST dispatch_probe=null calling");
                long value = VariantProbe.Call(null);
                Serial.Write("XENSDK SELFTEST dispatch_probe=null result=");
                Serial.WriteHex((ulong)value, 1);
                Serial.WriteLine();
            }

            if (Multiboot.Option("dispatch-probe"u8).SequenceEqual("variant"u8))
            {
                // IDispatchVariant<object> has no implementation on ProbeVariant; only IDispatchVariant<string> has,
                // through covariance. The runtime supports exact matches only: this must panic, naming the interface.
                IDispatchVariant<object> variant = new ProbeVariant();
                Serial.WriteLine("XENSDK SELFTEST dispatch_probe=variant calling");
                long value = VariantProbe.Call(variant);
                Serial.Write("XENSDK SELFTEST dispatch_probe=variant result=");
                Serial.WriteHex((ulong)value, 1);
                Serial.WriteLine();
            }
        }
    }
}
