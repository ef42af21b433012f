using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Xen.Sdk.Vmx.Checking;

namespace Xen.Sdk.Vmx.Differential;

/// <summary>
/// Host-only: assembles a <see cref="MutantList"/> module from a base image, a capability snapshot and
/// mutants, storing the checker's prediction with each one.
/// </summary>
public sealed class MutantListBuilder
{
    private readonly VmcsImage _base;
    private readonly VmxCapabilities _capabilities;
    private readonly List<(uint Id, byte Flags, MutantEdit[] Edits, EntryOutcome Predicted, EntryCheckId Check, int Skipped)> _mutants = [];
    private readonly VmcsImage _scratch = new();
    private readonly EntryCheckFailure[] _failures = new EntryCheckFailure[1];

    /// <summary>Starts a list.</summary>
    /// <param name="baseImage">The known-good VMCS (copied).</param>
    /// <param name="capabilities">The capabilities predictions are made for.</param>
    public MutantListBuilder(VmcsImage baseImage, in VmxCapabilities capabilities)
    {
        _base = new VmcsImage();
        _base.CopyFrom(baseImage);
        _capabilities = capabilities;
    }

    /// <summary>Number of mutants added.</summary>
    public int Count => _mutants.Count;

    /// <summary>Adds a mutant and returns the checker's prediction for it.</summary>
    /// <param name="id">Id printed in the result line.</param>
    /// <param name="edits">Field edits (at most 255).</param>
    /// <param name="resume">Enter with VMRESUME.</param>
    /// <param name="launched">The VMCS is launched.</param>
    /// <returns>The predicted outcome.</returns>
    public EntryOutcome Add(uint id, ReadOnlySpan<MutantEdit> edits, bool resume = false, bool launched = false)
    {
        if (edits.Length > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(edits), "at most 255 edits");
        }

        EntryOutcome predicted = Predict(edits, resume, launched, out EntryCheckId check, out int skipped);
        _mutants.Add((id, (byte)((resume ? 1 : 0) | (launched ? 2 : 0)), edits.ToArray(), predicted, check, skipped));
        return predicted;
    }

    /// <summary>The checker's prediction for a mutant of the base image.</summary>
    /// <param name="edits">Edits.</param>
    /// <param name="resume">VMRESUME.</param>
    /// <param name="launched">Launched state.</param>
    /// <param name="firstCheck">The first failing check.</param>
    /// <param name="skippedMemoryChecks">Memory-dependent checks skipped (no memory is modelled).</param>
    /// <returns>The outcome.</returns>
    public EntryOutcome Predict(ReadOnlySpan<MutantEdit> edits, bool resume, bool launched, out EntryCheckId firstCheck, out int skippedMemoryChecks)
    {
        _scratch.CopyFrom(_base);
        _scratch.LaunchState = launched ? VmcsLaunchState.Launched : VmcsLaunchState.Clear;
        foreach (MutantEdit e in edits)
        {
            e.ApplyTo(_scratch);
        }

        EntryCheckReport r = VmEntryChecker.Check(_scratch, _capabilities, new EntryCheckOptions { Resume = resume, StopAtFirstFailure = true }, _failures);
        firstCheck = r.Passed ? EntryCheckId.None : _failures[0].Check;
        skippedMemoryChecks = r.SkippedMemoryChecks;
        return r.Outcome;
    }

    /// <summary>Serializes the module.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray()
    {
        int baseLen = _base.SerializedSize;
        int capsOff = MutantList.HeaderSize + baseLen;
        int table = capsOff + VmxCapabilities.SerializedSize;
        int size = table;
        foreach (var m in _mutants)
        {
            size += MutantList.RecordHeaderSize + MutantList.EditSize * m.Edits.Length;
        }

        var data = new byte[size];
        Span<byte> s = data;
        BinaryPrimitives.WriteUInt32LittleEndian(s, MutantList.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], MutantList.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)_mutants.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], MutantList.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)baseLen);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)table);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)capsOff);
        _base.TryWriteTo(s[MutantList.HeaderSize..], out _);
        _capabilities.TryWriteTo(s[capsOff..]);
        int at = table;
        foreach (var m in _mutants)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[at..], m.Id);
            s[at + 4] = m.Flags;
            s[at + 5] = (byte)m.Edits.Length;
            s[at + 6] = (byte)Math.Min(m.Skipped, 255);
            s[at + 8] = (byte)m.Predicted.Kind;
            s[at + 9] = (byte)m.Predicted.Error;
            BinaryPrimitives.WriteUInt16LittleEndian(s[(at + 10)..], m.Predicted.ExitReason);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 12)..], (uint)m.Predicted.Qualification);
            BinaryPrimitives.WriteUInt16LittleEndian(s[(at + 16)..], (ushort)m.Check);
            at += MutantList.RecordHeaderSize;
            foreach (MutantEdit e in m.Edits)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s[at..], e.Encoding);
                s[at + 4] = (byte)e.Operation;
                BinaryPrimitives.WriteUInt64LittleEndian(s[(at + 8)..], e.Value);
                at += MutantList.EditSize;
            }
        }

        return data;
    }
}
