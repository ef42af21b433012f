using System;
using Xen.Sdk.Vmx.Checking;

namespace Xen.Sdk.Vmx.Differential;

/// <summary>
/// One result line of a differential run: what the processor did with one mutant. ASCII, one line each:
/// <code>
/// VMXM &lt;id&gt; ok &lt;basic exit reason&gt;          the guest ran and exited (e.g. 12 = HLT)
/// VMXM &lt;id&gt; failinvalid                     VMfailInvalid
/// VMXM &lt;id&gt; failvalid &lt;error&gt;               VMfailValid, VM-instruction error (decimal)
/// VMXM &lt;id&gt; entryfail &lt;reason&gt; &lt;qual&gt;       VM exit with bit 31 set: basic reason, qualification (decimal)
/// VMXM &lt;id&gt; skip &lt;code&gt;                     the kernel could not run it (code: 1 bad edit, 2 no launched state)
/// </code>
/// Formatting and parsing work on bytes, never allocate and never throw (the kernel formats).
/// </summary>
/// <param name="MutantId">Mutant id.</param>
/// <param name="Outcome">The entry outcome (for <c>ok</c>: <see cref="EntryOutcomeKind.Success"/>).</param>
/// <param name="GuestExitReason">For <c>ok</c>: the basic reason of the guest's VM exit.</param>
/// <param name="SkipCode">For <c>skip</c>: the code (0 otherwise).</param>
public readonly record struct DifferentialResult(uint MutantId, EntryOutcome Outcome, ushort GuestExitReason, uint SkipCode = 0)
{
    /// <summary>True when the kernel skipped the mutant.</summary>
    public bool Skipped => SkipCode != 0;

    /// <summary>True when the processor's outcome equals a prediction (same kind, error, reason and qualification).</summary>
    /// <param name="predicted">Predicted outcome.</param>
    /// <returns>True on agreement.</returns>
    public bool Agrees(in EntryOutcome predicted) => !Skipped && predicted.Kind == Outcome.Kind && predicted.Kind switch
    {
        EntryOutcomeKind.VmFailValid => predicted.Error == Outcome.Error,
        EntryOutcomeKind.EntryFailure => predicted.ExitReason == Outcome.ExitReason && predicted.Qualification == Outcome.Qualification,
        _ => true,
    };

    /// <summary>Writes the line (without newline) as ASCII.</summary>
    /// <param name="destination">Buffer (64 bytes always suffice).</param>
    /// <param name="written">Bytes written.</param>
    /// <returns>False when the buffer is too small.</returns>
    public bool TryFormat(Span<byte> destination, out int written)
    {
        var w = new Writer(destination);
        w.Text("VMXM "u8);
        w.Number(MutantId);
        if (Skipped)
        {
            w.Text(" skip "u8);
            w.Number(SkipCode);
        }
        else
        {
            switch (Outcome.Kind)
            {
                case EntryOutcomeKind.Success:
                    w.Text(" ok "u8);
                    w.Number(GuestExitReason);
                    break;
                case EntryOutcomeKind.VmFailInvalid:
                    w.Text(" failinvalid"u8);
                    break;
                case EntryOutcomeKind.VmFailValid:
                    w.Text(" failvalid "u8);
                    w.Number((uint)Outcome.Error);
                    break;
                default:
                    w.Text(" entryfail "u8);
                    w.Number(Outcome.ExitReason);
                    w.Text(" "u8);
                    w.Number(Outcome.Qualification);
                    break;
            }
        }

        written = w.Position;
        return !w.Overflow;
    }

    /// <summary>Parses one line (trailing CR/LF allowed; text before "VMXM " is ignored, e.g. a log prefix).</summary>
    /// <param name="line">ASCII bytes.</param>
    /// <param name="result">The result.</param>
    /// <returns>False when the line is not a result line.</returns>
    public static bool TryParse(ReadOnlySpan<byte> line, out DifferentialResult result)
    {
        result = default;
        int start = line.IndexOf("VMXM "u8);
        if (start < 0)
        {
            return false;
        }

        var r = new Reader(line[(start + 5)..]);
        if (!r.Number(out ulong id) || id > uint.MaxValue)
        {
            return false;
        }

        ReadOnlySpan<byte> word = r.Word();
        ulong a = 0, b = 0;
        if (word.SequenceEqual("ok"u8) && r.Number(out a) && a <= ushort.MaxValue)
        {
            result = new DifferentialResult((uint)id, EntryOutcome.Success, (ushort)a);
        }
        else if (word.SequenceEqual("failinvalid"u8))
        {
            result = new DifferentialResult((uint)id, new EntryOutcome(EntryOutcomeKind.VmFailInvalid, 0, 0, 0), 0);
        }
        else if (word.SequenceEqual("failvalid"u8) && r.Number(out a) && a <= uint.MaxValue)
        {
            result = new DifferentialResult((uint)id, new EntryOutcome(EntryOutcomeKind.VmFailValid, (VmInstructionError)a, 0, 0), 0);
        }
        else if (word.SequenceEqual("entryfail"u8) && r.Number(out a) && a <= ushort.MaxValue && r.Number(out b))
        {
            result = new DifferentialResult((uint)id, new EntryOutcome(EntryOutcomeKind.EntryFailure, 0, (ushort)a, b), 0);
        }
        else if (word.SequenceEqual("skip"u8) && r.Number(out a) && a is > 0 and <= uint.MaxValue)
        {
            result = new DifferentialResult((uint)id, default, 0, (uint)a);
        }
        else
        {
            return false;
        }

        return r.AtEnd;
    }

    private ref struct Writer
    {
        private readonly Span<byte> _buffer;

        public Writer(Span<byte> buffer)
        {
            _buffer = buffer;
            Position = 0;
            Overflow = false;
        }

        public int Position { get; private set; }

        public bool Overflow { get; private set; }

        public void Text(scoped ReadOnlySpan<byte> s)
        {
            if (Position + s.Length > _buffer.Length)
            {
                Overflow = true;
                return;
            }

            s.CopyTo(_buffer[Position..]);
            Position += s.Length;
        }

        public void Number(ulong v)
        {
            Span<byte> digits = stackalloc byte[20];
            int n = 0;
            do
            {
                digits[19 - n++] = (byte)('0' + (int)(v % 10));
                v /= 10;
            }
            while (v != 0);

            Text(digits[(20 - n)..]);
        }
    }

    private ref struct Reader
    {
        private ReadOnlySpan<byte> _rest;

        public Reader(ReadOnlySpan<byte> text) => _rest = text;

        public readonly bool AtEnd
        {
            get
            {
                foreach (byte c in _rest)
                {
                    if (c is not ((byte)' ' or (byte)'\r' or (byte)'\n'))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public ReadOnlySpan<byte> Word()
        {
            SkipSpaces();
            int n = 0;
            while (n < _rest.Length && _rest[n] is >= (byte)'a' and <= (byte)'z')
            {
                n++;
            }

            ReadOnlySpan<byte> w = _rest[..n];
            _rest = _rest[n..];
            return w;
        }

        public bool Number(out ulong value)
        {
            SkipSpaces();
            value = 0;
            int n = 0;
            while (n < _rest.Length && _rest[n] is >= (byte)'0' and <= (byte)'9' && n < 20)
            {
                ulong next = value * 10 + (ulong)(_rest[n] - '0');
                if (next < value)
                {
                    return false;
                }

                value = next;
                n++;
            }

            _rest = _rest[n..];
            return n > 0;
        }

        private void SkipSpaces()
        {
            while (_rest.Length > 0 && _rest[0] == (byte)' ')
            {
                _rest = _rest[1..];
            }
        }
    }
}
