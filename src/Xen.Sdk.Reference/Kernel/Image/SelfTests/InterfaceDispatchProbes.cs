// Interface dispatch probes: classes called through interfaces from shared generic code, so that ilc emits interface
// dispatch cells (the kernel runtime resolves them: Kernel/CoreLib/Runtime/InterfaceDispatch.cs). Every method returns
// a value distinct per implementation. This file is compiled into the kernel image AND linked into
// tests/Xen.Sdk.Reference.Tests, where the host's CoreCLR runs the same Run method: the test compares the values the
// emulated CPU produced with the values CoreCLR's own interface dispatch produced.
using System.Runtime.CompilerServices;

namespace Xen.Sdk.Reference.Kernel.SelfTests
{
    /// <summary>The main probe interface (two slots).</summary>
    public interface IDispatchProbe
    {
        /// <summary>Slot 0.</summary>
        long First();
        /// <summary>Slot 1 (an argument in rsi).</summary>
        long Second(long x);
    }

    /// <summary>A second interface, implemented next to <see cref="IDispatchProbe"/>.</summary>
    public interface IDispatchExtra
    {
        /// <summary>Slot 0 of the second interface.</summary>
        long Third();
        /// <summary>Floating-point arguments and result (xmm0/xmm1 must survive the resolver).</summary>
        double Scale(double a, double b);
        /// <summary>A 24-byte struct result: returned through a hidden buffer argument.</summary>
        ProbeTriple Triple(long seed);
    }

    /// <summary>A generic interface, instantiated over a struct and over <see cref="long"/>.</summary>
    public interface IDispatchValue<T>
    {
        /// <summary>Reads a value.</summary>
        long Read(T value);
    }

    /// <summary>A struct type argument.</summary>
    public struct ProbePair
    {
        /// <summary>First.</summary>
        public long A;
        /// <summary>Second.</summary>
        public long B;
    }

    /// <summary>Large enough (24 bytes) to be returned through memory, not in rax:rdx.</summary>
    public struct ProbeTriple
    {
        /// <summary>First.</summary>
        public long A;
        /// <summary>Second.</summary>
        public long B;
        /// <summary>Third.</summary>
        public long C;
    }

    /// <summary>Sealed, non-virtual implementations (ilc places them in sealed virtual slots).</summary>
    public sealed class ProbeAlpha : IDispatchProbe
    {
        /// <inheritdoc/>
        public long First() => 0x1A1;
        /// <inheritdoc/>
        public long Second(long x) => 0x1A2 + x;
    }

    /// <summary>Two interfaces, virtual implementations declared in the reverse order of the interface's slots, after
    /// an unrelated virtual, so the implementation slot numbers differ from <see cref="ProbeAlpha"/>'s.</summary>
    public class ProbeBeta : IDispatchProbe, IDispatchExtra
    {
        /// <summary>Unrelated virtual (shifts the vtable).</summary>
        public virtual long Unrelated() => -1;
        /// <inheritdoc/>
        public virtual ProbeTriple Triple(long seed) => new ProbeTriple { A = seed + 0x2B5, B = seed * 2, C = ~seed };
        /// <inheritdoc/>
        public virtual double Scale(double a, double b) => a * b + 0.5;
        /// <inheritdoc/>
        public virtual long Third() => 0x2B3;
        /// <inheritdoc/>
        public virtual long Second(long x) => 0x2B2 + 2 * x;
        /// <inheritdoc/>
        public virtual long First() => 0x2B1;
    }

    /// <summary>Explicit implementations.</summary>
    public sealed class ProbeGamma : IDispatchExtra, IDispatchProbe
    {
        long IDispatchProbe.Second(long x) => 0x3C2 + 3 * x;
        long IDispatchProbe.First() => 0x3C1;
        long IDispatchExtra.Third() => 0x3C3;
        double IDispatchExtra.Scale(double a, double b) => a - b;
        ProbeTriple IDispatchExtra.Triple(long seed) => new ProbeTriple { A = 0x3C5, B = seed, C = seed ^ 0x55 };
    }

    /// <summary>The base class implements the interface; its derived classes inherit the implementation.</summary>
    public class ProbeBase : IDispatchProbe
    {
        /// <inheritdoc/>
        public virtual long First() => 0x4D1;
        /// <inheritdoc/>
        public long Second(long x) => 0x4D2 + 4 * x;
    }

    /// <summary>Overrides one method of the inherited implementation (found through the vtable of the object's type).</summary>
    public class ProbeDerived : ProbeBase
    {
        /// <inheritdoc/>
        public override long First() => 0x5E1;
    }

    /// <summary>Adds nothing: both methods come from <see cref="ProbeBase"/>.</summary>
    public sealed class ProbeLeaf : ProbeDerived
    {
        /// <summary>Unrelated.</summary>
        public long Own() => 0x6F0;
    }

    /// <summary>A generic interface over a struct.</summary>
    public sealed class ProbeSum : IDispatchValue<ProbePair>
    {
        /// <inheritdoc/>
        public long Read(ProbePair value) => 0x7000 + value.A + value.B;
    }

    /// <summary>The same generic interface over two instantiations.</summary>
    public sealed class ProbeDiff : IDispatchValue<long>, IDispatchValue<ProbePair>
    {
        /// <inheritdoc/>
        public long Read(long value) => 0x8100 + value;
        long IDispatchValue<ProbePair>.Read(ProbePair value) => 0x8200 + value.A - value.B;
    }

    /// <summary>A generic interface over a reference type: called from code shared over both type arguments, the
    /// interface itself depends on the shared type, so the dispatch cell comes from the generic dictionary.</summary>
    public sealed class ProbeText : IDispatchValue<string>
    {
        /// <inheritdoc/>
        public long Read(string value) => 0xA000 + value.Length * 3;
    }

    /// <summary>A default interface method (non-generic interface): found in the second pass over the dispatch maps,
    /// through the implementing class's sealed slots. (SDK code must not use them: docs/freestanding.md.)</summary>
    public interface IDispatchDefault
    {
        /// <summary>Implemented by every class.</summary>
        long Base();
        /// <summary>Default implementation calling back through the interface.</summary>
        long Twice() => Base() * 2 + 0xD00;
    }

    /// <summary>Uses the default <see cref="IDispatchDefault.Twice"/>.</summary>
    public sealed class ProbeDefaultOnly : IDispatchDefault
    {
        /// <inheritdoc/>
        public long Base() => 0xDA1;
    }

    /// <summary>Overrides the default.</summary>
    public sealed class ProbeDefaultOverride : IDispatchDefault
    {
        /// <inheritdoc/>
        public long Base() => 0xDB1;
        /// <inheritdoc/>
        public long Twice() => 0xDB2;
    }

    /// <summary>A covariant interface: dispatch through <c>IDispatchVariant&lt;object&gt;</c> on a class implementing
    /// <c>IDispatchVariant&lt;string&gt;</c> needs variance, which the kernel runtime does not support (it panics).</summary>
    public interface IDispatchVariant<out T>
    {
        /// <summary>Slot 0.</summary>
        long Get();
    }

    /// <summary>Implements the covariant interface over <see cref="string"/> only.</summary>
    public sealed class ProbeVariant : IDispatchVariant<string>
    {
        /// <inheritdoc/>
        public long Get() => 0x9A1;
    }

    /// <summary>Implements the covariant interface exactly (over <see cref="object"/>): no variance needed.</summary>
    public sealed class ProbeVariantExact : IDispatchVariant<object>
    {
        /// <inheritdoc/>
        public long Get() => 0x9B1;
    }

    /// <summary>Both instantiations: the exact one must win over the variant one.</summary>
    public sealed class ProbeVariantBoth : IDispatchVariant<string>, IDispatchVariant<object>
    {
        long IDispatchVariant<string>.Get() => 0x9C1;
        long IDispatchVariant<object>.Get() => 0x9C2;
    }

    /// <summary>The variant call site.</summary>
    public static class VariantProbe
    {
        /// <summary>Calls <see cref="IDispatchVariant{T}.Get"/> through the <c>object</c> instantiation.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static long Call(IDispatchVariant<object> probe) => probe.Get();
    }

    /// <summary>Runs every probe and writes the results; the same code runs on the kernel and on the host.</summary>
    public static class InterfaceDispatchProbes
    {
        /// <summary>Number of values <see cref="Run"/> writes.</summary>
        public const int Count = 32;

        /// <summary>Runs the probes over the given objects (allocated by the caller, once) and writes
        /// <see cref="Count"/> values; <paramref name="seed"/> goes into every argument. Returns how many values were
        /// written.</summary>
        public static int Run(IDispatchProbe alpha, ProbeBeta beta, ProbeGamma gamma, ProbeBase b, ProbeDerived derived, ProbeLeaf leaf,
                              ProbeSum sum, ProbeDiff diff, ProbeDefaultOnly defaultOnly, ProbeDefaultOverride defaultOverride,
                              ProbeVariantExact variantExact, ProbeVariantBoth variantBoth, ProbeText text, long seed,
                              long[] results)
        {
            int n = 0;
            // Same interface, five classes, different slot layouts: one shared (__Canon) instantiation.
            results[n++] = CallProbe(alpha, seed + 1);
            results[n++] = CallProbe(beta, seed + 2);
            results[n++] = CallProbe(gamma, seed + 3);
            results[n++] = CallProbe(b, seed + 4);
            results[n++] = CallProbe(derived, seed + 5);
            results[n++] = CallProbe(leaf, seed + 6);
            // The same call site (one dispatch cell) seeing every class in turn, twice (the second round hits the cache).
            for (int round = 0; round < 2; round++)
            {
                results[n++] = FirstOf(alpha) ^ FirstOf(beta) << 12 ^ FirstOf(gamma) << 24 ^ FirstOf(b) << 36 ^ FirstOf(leaf) << 48;
            }
            // A class implementing two interfaces, through both.
            results[n++] = CallExtra(beta, seed + 7);
            results[n++] = CallExtra(gamma, seed + 8);
            results[n++] = ScaleOf(beta, 1.5 + (seed & 0xFF), 4.0);
            results[n++] = ScaleOf(gamma, 10.25, 0.25 * (seed & 0xF));
            ProbeTriple t = TripleOf(beta, seed + 9);
            results[n++] = t.A; results[n++] = t.B; results[n++] = t.C;
            t = TripleOf(gamma, seed + 10);
            results[n++] = t.A; results[n++] = t.B; results[n++] = t.C;
            // Generic interface instantiated over a struct, two classes, and over long.
            var pair = new ProbePair { A = seed + 0x30, B = 0x12 - seed };
            results[n++] = ReadValue(sum, pair);
            results[n++] = ReadValue(diff, pair);
            results[n++] = ReadValue<ProbeDiff, long>(diff, seed + 0x44);
            // Through interface-typed locals (no generics).
            IDispatchProbe p = alpha;
            results[n++] = p.Second(seed + 0x10);
            p = derived;
            results[n++] = p.Second(seed + 0x10);
            IDispatchValue<ProbePair> v = diff;
            results[n++] = v.Read(pair);
            v = sum;
            results[n++] = v.Read(pair);
            results[n++] = CallProbe(alpha, seed + 11) + CallProbe(leaf, seed + 12);
            results[n++] = CallProbe(gamma, seed + 13) - CallProbe(derived, seed + 14);
            // Default interface method, and its override.
            results[n++] = TwiceOf(defaultOnly);
            results[n++] = TwiceOf(defaultOverride);
            // A variant interface, exact matches only (the same call site as the variance panic probe).
            results[n++] = VariantProbe.Call(variantExact) + seed;
            results[n++] = VariantProbe.Call(variantBoth) + seed;
            // Generic interface over a class, from code shared over it (cell from the generic dictionary).
            results[n++] = ReadValue<ProbeText, string>(text, (seed & 1) == 0 ? "even" : "odd seed") + seed;
            return n;
        }

        /// <summary>Calls <see cref="IDispatchProbe.First"/> <paramref name="count"/> times from shared generic code (one
        /// dispatch cell, one class: after the first call every call is a cache hit). For the cost measurement.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static long Repeat<TProbe>(TProbe probe, int count) where TProbe : IDispatchProbe
        {
            long sum = 0;
            for (int i = 0; i < count; i++) sum += probe.First();
            return sum;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long CallProbe<TProbe>(TProbe probe, long x) where TProbe : IDispatchProbe => probe.First() * 0x10000 + probe.Second(x);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long TwiceOf<TDefault>(TDefault probe) where TDefault : IDispatchDefault => probe.Twice();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long FirstOf<TProbe>(TProbe probe) where TProbe : IDispatchProbe => probe.First();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long CallExtra<TExtra>(TExtra extra, long x) where TExtra : IDispatchExtra, IDispatchProbe =>
            extra.Third() * 0x1000000 + extra.First() * 0x1000 + extra.Second(x);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long ScaleOf<TExtra>(TExtra extra, double a, double b) where TExtra : IDispatchExtra => (long)(extra.Scale(a, b) * 1000.0);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ProbeTriple TripleOf<TExtra>(TExtra extra, long seed) where TExtra : IDispatchExtra => extra.Triple(seed);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long ReadValue<TValue>(TValue reader, ProbePair pair) where TValue : IDispatchValue<ProbePair> => reader.Read(pair);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long ReadValue<TValue, T>(TValue reader, T value) where TValue : IDispatchValue<T> => reader.Read(value);
    }
}
