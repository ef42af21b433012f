#!/usr/bin/env python3
"""Xen.Sdk.Abi generator: *.xabi data files -> *.g.cs (one per data file, next to it).

Usage: abigen.py [--check] [--root DIR]
  --check   regenerate in memory and fail (exit 1) when a checked-in *.g.cs differs.

The generator lays out every struct itself, for x86_64 and x86_32, from the C rules (natural alignment;
i386 aligns uint64_t to 4 inside structs; SysV bitfield packing) and writes the offsets as explicit
[FieldOffset] numbers. It is NOT the oracle: gcc compiling Xen's headers checks every number it writes
(tests/Xen.Sdk.Abi.Tests/Oracle). The data-file format is described in docs/abi.md ("Data files").
"""
import os, re, sys

ARCHES = ("64", "32")

# C spelling in data files -> (C# type, size, align) for x86_64 and x86_32.
PRIMS = {
    "uint8_t": (("byte", 1, 1), ("byte", 1, 1)),
    "char": (("byte", 1, 1), ("byte", 1, 1)),
    "int8_t": (("sbyte", 1, 1), ("sbyte", 1, 1)),
    "uint16_t": (("ushort", 2, 2), ("ushort", 2, 2)),
    "int16_t": (("short", 2, 2), ("short", 2, 2)),
    "uint32_t": (("uint", 4, 4), ("uint", 4, 4)),
    "int32_t": (("int", 4, 4), ("int", 4, 4)),
    "uint64_t": (("ulong", 8, 8), ("ulong", 8, 4)),
    "int64_t": (("long", 8, 8), ("long", 8, 4)),
    "uint64_aligned_t": (("ulong", 8, 8), ("ulong", 8, 8)),
    "int64_aligned_t": (("long", 8, 8), ("long", 8, 8)),
    "unsigned_long": (("ulong", 8, 8), ("uint", 4, 4)),
    "xen_ulong_t": (("ulong", 8, 8), ("uint", 4, 4)),
    "long": (("long", 8, 8), ("int", 4, 4)),
    "handle": (("GuestVirtualAddress", 8, 8), ("GuestVirtualAddress32", 4, 4)),
    "handle64": (("GuestVirtualAddress", 8, 8), ("GuestVirtualAddress", 8, 8)),
    "domid_t": (("DomainId", 2, 2), ("DomainId", 2, 2)),
    "evtchn_port_t": (("EventChannelPort", 4, 4), ("EventChannelPort", 4, 4)),
    "grant_ref_t": (("GrantRef", 4, 4), ("GrantRef", 4, 4)),
    "grant_handle_t": (("GrantHandle", 4, 4), ("GrantHandle", 4, 4)),
    "xen_pfn_t": (("Gfn", 8, 8), ("Gfn32", 4, 4)),
}
# Typed values: C# name -> (underlying primitive, size). "as X" on a field picks the variant whose size fits.
TYPED = {}          # name -> (underlying, size, doc, narrow-or-wide partner)
TYPED_FAMILY = {}   # family name -> {size: variant name}
PRIM_OF_TYPED = {}  # typed name -> underlying C# primitive
CS_PRIM_SIZE = {"byte": 1, "sbyte": 1, "ushort": 2, "short": 2, "uint": 4, "int": 4, "ulong": 8, "long": 8}


def pascal(name):
    parts = [p for p in re.split(r"[_.\s]+", name) if p]
    out = []
    for p in parts:
        if p.isupper() or p.isdigit():
            p = p.lower()
        out.append(p[0].upper() + p[1:])
    s = "".join(out)
    if s and s[0].isdigit():
        s = "_" + s
    return s


def xml(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Field:
    def __init__(self, ctype, cname, dims, bits, csname, doc, astype, line):
        self.ctype, self.cname, self.dims, self.bits = ctype, cname, dims, bits
        self.csname, self.doc, self.astype, self.line = csname, doc, astype, line


class Aggregate:
    """A struct/union, top-level (named) or inline (flattened into its parent)."""
    def __init__(self, kind, cname, csname, doc, header, ns, arches, line, prefix=""):
        self.kind, self.cname, self.csname, self.doc = kind, cname, csname, doc
        self.header, self.ns, self.arches, self.line = header, ns, arches, line
        self.members = []  # Field or Aggregate (inline)
        self.prefix = prefix  # designator prefix for inline aggregates
        self.layout = {}
        self.split = False
        self.flex = []

    @property
    def cspelling(self):
        if self.cname.endswith("_t"):
            return self.cname
        return f"{self.kind} {self.cname}"


class ConstGroup:
    def __init__(self, kind, csname, cstype, flags, prefix, doc, header, ns, line):
        self.kind, self.csname, self.cstype, self.flags, self.prefix = kind, csname, cstype, flags, prefix
        self.doc, self.header, self.ns, self.line = doc, header, ns, line
        self.items = []  # (macro, value, csname, cstype, arches, doc)


class DataFile:
    def __init__(self, path):
        self.path = path
        self.items = []  # Aggregate | ConstGroup | ("value", ...)


AGGS = {}  # cname -> Aggregate
# Member names every generated struct already uses; a C member of the same name gets a "Field" suffix.
RESERVED = {"Size", "Alignment", "Alignment64", "Alignment32", "TryRead", "TryWrite"}


def tokenize_doc(rest):
    m = re.search(r'"(.*)"', rest)
    if m:
        return (rest[:m.start()] + " " + rest[m.end():]).strip(), m.group(1)
    return rest.strip(), ""


def parse(path):
    df = DataFile(path)
    header, ns = None, ""
    stack = []  # (indent, Aggregate|ConstGroup)
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        text = line.strip()
        where = f"{path}:{no}"
        while stack and indent <= stack[-1][0]:
            stack.pop()
        body, doc = tokenize_doc(text)
        words = body.split()
        if not stack:
            kw = words[0]
            if kw == "header":
                header = words[1]
            elif kw == "namespace":
                ns = "" if words[1] == "." else words[1]
            elif kw == "value":
                # value Name : underlying [family=F]
                name, under = words[1], words[3]
                fam = name
                for w in words[4:]:
                    if w.startswith("family="):
                        fam = w[7:]
                df.items.append(("value", name, under, fam, doc, ns))
                TYPED[name] = (under, CS_PRIM_SIZE[under], doc)
                TYPED_FAMILY.setdefault(fam, {})[CS_PRIM_SIZE[under]] = name
                PRIM_OF_TYPED[name] = under
            elif kw in ("struct", "union"):
                cname = words[1]
                csname = pascal(cname[:-2] if cname.endswith("_t") else cname)
                arches = set(ARCHES)
                ops = []
                i = 2
                while i < len(words):
                    w = words[i]
                    if w == ":":
                        csname = words[i + 1]; i += 1
                    elif w == "@64":
                        arches = {"64"}
                    elif w == "@32":
                        arches = {"32"}
                    elif w.startswith("op="):
                        ops.append(w[3:])
                    else:
                        sys.exit(f"{where}: unexpected '{w}'")
                    i += 1
                if header is None:
                    sys.exit(f"{where}: no header")
                agg = Aggregate(kw, cname, csname, doc, header, ns, arches, where)
                agg.ops = ops
                for other in AGGS.get(cname, []):
                    if other.arches & arches:
                        sys.exit(f"{where}: {cname} declared twice")
                AGGS.setdefault(cname, []).append(agg)
                df.items.append(agg)
                stack.append((indent, agg))
            elif kw in ("enum", "consts"):
                # enum Name : type [flags] [prefix=P]
                csname = words[1]
                cstype = words[3] if len(words) > 3 and words[2] == ":" else "int"
                flags = "flags" in words
                prefix = ""
                for w in words:
                    if w.startswith("prefix="):
                        prefix = w[7:]
                g = ConstGroup(kw, csname, cstype, flags, prefix, doc, header, ns, where)
                df.items.append(g)
                stack.append((indent, g))
            else:
                sys.exit(f"{where}: unknown directive '{kw}'")
            continue
        parent = stack[-1][1]
        if isinstance(parent, ConstGroup):
            # MACRO [= value] [: CsName] [as type] [@64|@32]
            macro = words[0]
            value, csname, cstype, arches = None, None, parent.cstype, set(ARCHES)
            i = 1
            while i < len(words):
                w = words[i]
                if w == "=":
                    value = words[i + 1]; i += 1
                elif w == ":":
                    csname = words[i + 1]; i += 1
                elif w == "as":
                    cstype = words[i + 1]; i += 1
                elif w == "@64":
                    arches = {"64"}
                elif w == "@32":
                    arches = {"32"}
                else:
                    sys.exit(f"{where}: unexpected '{w}'")
                i += 1
            if value is None:
                sys.exit(f"{where}: {macro} has no value")
            if csname is None:
                m = macro
                bit = False
                if parent.prefix and m.startswith(parent.prefix):
                    m = m[len(parent.prefix):]
                elif m.startswith("_"):
                    bit = True
                    m = m.lstrip("_")
                    if parent.prefix and m.startswith(parent.prefix):
                        m = m[len(parent.prefix):]
                csname = pascal(m) + ("Bit" if bit else "")
            parent.items.append((macro, value, csname, cstype, arches, doc))
            continue
        # inside an aggregate
        if words[0] in ("struct", "union"):
            # inline nested aggregate: struct|union [name|-] [: CsPrefix] [[N]]
            nm = words[1] if len(words) > 1 else "-"
            csn = None
            if ":" in words:
                csn = words[words.index(":") + 1]
            inner = Aggregate(words[0], nm, csn, doc, parent.header, parent.ns, parent.arches, where)
            parent.members.append(inner)
            stack.append((indent, inner))
            continue
        ctype = words[0]
        decl = words[1]
        csname, astype, farch = None, None, None
        i = 2
        while i < len(words):
            if words[i] in ("@64", "@32"):
                farch = words[i][1:]; i += 1
            elif words[i] == ":":
                csname = words[i + 1]; i += 2
            elif words[i] == "as":
                astype = words[i + 1]; i += 2
            else:
                sys.exit(f"{where}: unexpected '{words[i]}'")
        m = re.match(r"^(\w+)((?:\[\w*\])*)(?::(\d+))?$", decl)
        if not m:
            sys.exit(f"{where}: bad declarator '{decl}'")
        cname, dims, bits = m.group(1), m.group(2), m.group(3)
        dimlist = [d for d in re.findall(r"\[(\w*)\]", dims)]
        fld = Field(ctype, cname, dimlist, int(bits) if bits else None, csname, doc, astype, where)
        fld.arch = farch
        parent.members.append(fld)
    return df


def align_up(v, a):
    return (v + a - 1) // a * a


class Leaf:
    """A laid-out member of a top-level struct: one C# field."""
    def __init__(self, designator, csname, cstype, offset, size, align, field, count, elem, elemsize, bits=None):
        self.designator, self.csname, self.cstype = designator, csname, cstype
        self.offset, self.size, self.align, self.field = offset, size, align, field
        self.count, self.elem, self.elemsize, self.bits = count, elem, elemsize, bits


def resolve_type(field, arch, where):
    """-> (C# type, size, align, is_primitive_for_fixed, nested Aggregate or None)."""
    t = field.ctype
    if t in PRIMS:
        cs, size, al = PRIMS[t][0 if arch == "64" else 1]
        if field.astype:
            fam = TYPED_FAMILY.get(field.astype)
            if not fam or size not in fam:
                sys.exit(f"{where}: no {size}-byte variant of typed value {field.astype}")
            cs = fam[size]
        return cs, size, al, cs in CS_PRIM_SIZE, None
    agg = next((a for a in AGGS.get(t, []) if arch in a.arches), None)
    if agg is None:
        sys.exit(f"{where}: unknown type '{t}' for x86_{arch}")
    lay_out(agg)
    size, al = agg.layout[arch][0], agg.layout[arch][1]
    return "global::Xen.Sdk.Abi" + ("." + agg.ns if agg.ns else "") + "." + cs_name_of(agg, arch), size, al, False, agg


def cs_name_of(agg, arch):
    if not (agg.split or agg.arches != set(ARCHES)):
        return agg.csname
    return agg.csname + ("_" if agg.csname[-1].isdigit() else "") + arch


def lay_out(agg):
    if agg.layout:
        return
    for arch in ARCHES:
        if arch not in agg.arches:
            continue
        leaves, flex = [], []
        size, al = lay_members(agg, arch, 0, "", "", leaves, flex)
        agg.layout[arch] = (size, al, leaves, flex)
    # split when the two layouts differ
    if len(agg.layout) == 2:
        def sig(a):
            s, al, leaves, flex = agg.layout[a]
            return (s, [(l.designator, l.cstype, l.offset, l.size, l.bits) for l in leaves], flex)
        agg.split = sig("64") != sig("32")
    elif agg.arches != set(ARCHES):
        agg.split = False


def lay_members(agg, arch, base, dprefix, csprefix, leaves, flex):
    """Lays out agg's members starting at byte `base`; returns (size, align)."""
    off, maxal, bitpos = 0, 1, None  # bitpos: bit offset from base while in a bitfield run
    is_union = agg.kind == "union"
    for m in agg.members:
        if isinstance(m, Aggregate):
            sub_leaves, sub_flex = [], []
            # measure first at 0 to learn alignment
            s, a = lay_members(m, arch, 0, "", "", [], [])
            if bitpos is not None:
                off = align_up(bitpos, 8) // 8; bitpos = None
            o = 0 if is_union else align_up(off, a)
            name = m.cname
            dp = dprefix + ("" if name == "-" else name + ".")
            cp = csprefix + ("" if name == "-" else (m.csname if m.csname else pascal(name)))
            lay_members(m, arch, base + o, dp, cp, leaves, flex)
            maxal = max(maxal, a)
            off = max(off, o + s) if is_union else o + s
            continue
        if m.arch is not None and m.arch != arch:
            continue
        cs, size, al, prim, nested = resolve_type(m, arch, m.line)
        cs_field = csprefix + (m.csname or pascal(m.cname))
        if cs_field in RESERVED:
            cs_field += "Field"
        if m.bits is not None:
            unit = size * 8
            if is_union:
                bp = 0
            else:
                bp = bitpos if bitpos is not None else off * 8
                if bp // unit != (bp + m.bits - 1) // unit:
                    bp = align_up(bp, unit)
            storage = bp // unit * unit // 8  # byte offset of the storage unit
            leaves.append(Leaf(dprefix + m.cname, cs_field, cs, base + storage, size, al, m, 1, cs, size,
                               bits=(bp - storage * 8, m.bits)))
            maxal = max(maxal, al)
            if is_union:
                off = max(off, size)
            else:
                bitpos = bp + m.bits
                off = align_up(bitpos, 8) // 8
            continue
        if bitpos is not None:
            off = align_up(bitpos, 8) // 8; bitpos = None
        count = 1
        for d in m.dims:
            if d == "":
                count = 0
            else:
                count *= int(d)
        o = 0 if is_union else align_up(off, al)
        if m.dims and count == 0:
            flex.append((dprefix + m.cname, cs, base + o, cs_field))
            maxal = max(maxal, al)
            continue
        total = size * count
        leaves.append(Leaf(dprefix + m.cname, cs_field, cs, base + o, total, al, m, count if m.dims else 0, cs, size))
        maxal = max(maxal, al)
        off = max(off, o + total) if is_union else o + total
    if bitpos is not None:
        off = align_up(bitpos, 8) // 8
    return align_up(off, maxal), maxal


ARCH_ENUM = {"64": "XenArchitectures.X86_64", "32": "XenArchitectures.X86_32"}


def cs_literal(value, cstype):
    v = re.sub(r"(?<=[0-9a-fA-F])(ULL|UL|LL|U|L)\b", "", value)
    if cstype in ("ulong", "long"):
        suffix = "UL" if cstype == "ulong" else "L"
    elif cstype == "uint":
        suffix = "U"
    else:
        suffix = ""
    if re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", v):
        return f"unchecked(({cstype}){v}{suffix})" if suffix or v.startswith("-") else f"unchecked(({cstype}){v})"
    return f"unchecked(({cstype})({v}))"


def emit_value(out, name, under, fam, doc):
    partners = TYPED_FAMILY.get(fam, {})
    out.append(f"/// <summary>{doc}</summary>")
    out.append(f"[StructLayout(LayoutKind.Sequential, Size = {CS_PRIM_SIZE[under]})]")
    out.append(f"public readonly partial struct {name} : IEquatable<{name}>")
    out.append("{")
    out.append("    private readonly " + under + " _value;")
    out.append("")
    out.append(f"    /// <summary>Wraps a raw value.</summary>")
    out.append(f"    /// <param name=\"value\">The raw value as it appears in the ABI.</param>")
    out.append(f"    public {name}({under} value) => _value = value;")
    out.append("")
    out.append(f"    /// <summary>The raw value as it appears in the ABI.</summary>")
    out.append(f"    public {under} Value => _value;")
    out.append("")
    for size, other in sorted(partners.items()):
        if other == name:
            continue
        ou = PRIM_OF_TYPED[other]
        if size > CS_PRIM_SIZE[under]:
            out.append(f"    /// <summary>Widens to the {size * 8}-bit form; never loses information.</summary>")
            out.append(f"    /// <param name=\"value\">The narrow value.</param>")
            out.append(f"    public static implicit operator {other}({name} value) => new {other}(value._value);")
        else:
            out.append(f"    /// <summary>Narrows to the {size * 8}-bit form used by 32-bit guests.</summary>")
            out.append(f"    /// <param name=\"narrow\">The narrow value when it fits.</param>")
            out.append(f"    /// <returns><see langword=\"false\"/> when the value does not fit in {size * 8} bits.</returns>")
            out.append(f"    public bool TryNarrow(out {other} narrow)")
            out.append("    {")
            out.append(f"        narrow = new {other}(unchecked(({ou})_value));")
            out.append(f"        return _value <= {ou}.MaxValue;")
            out.append("    }")
        out.append("")
    out.append(f"    /// <inheritdoc/>")
    out.append(f"    public bool Equals({name} other) => _value == other._value;")
    out.append("")
    out.append(f"    /// <inheritdoc/>")
    out.append(f"    public override bool Equals(object? obj) => obj is {name} other && Equals(other);")
    out.append("")
    out.append(f"    /// <inheritdoc/>")
    out.append(f"    public override int GetHashCode() => _value.GetHashCode();")
    out.append("")
    out.append(f"    /// <summary>Compares two values.</summary>")
    out.append(f"    /// <param name=\"left\">The first value.</param>")
    out.append(f"    /// <param name=\"right\">The second value.</param>")
    out.append(f"    /// <returns><see langword=\"true\"/> when both wrap the same raw value.</returns>")
    out.append(f"    public static bool operator ==({name} left, {name} right) => left._value == right._value;")
    out.append("")
    out.append(f"    /// <summary>Compares two values.</summary>")
    out.append(f"    /// <param name=\"left\">The first value.</param>")
    out.append(f"    /// <param name=\"right\">The second value.</param>")
    out.append(f"    /// <returns><see langword=\"true\"/> when the raw values differ.</returns>")
    out.append(f"    public static bool operator !=({name} left, {name} right) => left._value != right._value;")
    out.append("")
    out.append(f"    /// <summary>The raw value in hexadecimal (host diagnostics).</summary>")
    out.append(f"    /// <returns>The formatted value.</returns>")
    out.append(f"    public override string ToString() => \"0x\" + _value.ToString(\"x\", System.Globalization.CultureInfo.InvariantCulture);")
    out.append("}")
    out.append("")


def short(cs, ns):
    pre = "global::Xen.Sdk.Abi" + ("." + ns if ns else "") + "."
    if cs.startswith(pre) and "." not in cs[len(pre):]:
        return cs[len(pre):]
    return cs


def emit_struct(out, agg, arch):
    size, al, leaves, flex = agg.layout[arch]
    for l in leaves:
        l.cstype = short(l.cstype, agg.ns)
    name = cs_name_of(agg, arch)
    archs = "XenArchitectures.All" if not agg.split and agg.arches == set(ARCHES) else ARCH_ENUM[arch]
    where = "both x86_64 and x86_32 guests" if archs == "XenArchitectures.All" else f"x86_{arch} guests only"
    doc = xml(agg.doc) if agg.doc else "Mirrors the C type."
    unsafe_kw = "unsafe " if any(l.count and l.cstype in CS_PRIM_SIZE for l in leaves) else ""
    out.append(f"/// <summary><c>{agg.cspelling}</c> (<c>{agg.header}</c>), layout of {where}: {doc}</summary>")
    out.append(f"[CType(\"{agg.cspelling}\", \"{agg.header}\", {archs})]")
    for (d, cs, o, csf) in flex:
        out.append(f"[CFlexibleArray(\"{d}\", {o})]")
    out.append(f"[StructLayout(LayoutKind.Explicit, Size = {size})]")
    out.append(f"public {unsafe_kw}partial struct {name}")
    out.append("{")
    out.append(f"    /// <summary><c>sizeof({agg.cspelling})</c> for {where}.</summary>")
    out.append(f"    public const int Size = {size};")
    out.append("")
    als = {a: agg.layout[a][1] for a in agg.layout}
    if archs == "XenArchitectures.All" and als["64"] != als["32"]:
        for a in ARCHES:
            out.append(f"    /// <summary><c>_Alignof({agg.cspelling})</c> for x86_{a} guests (the layouts differ only in alignment).</summary>")
            out.append(f"    public const int Alignment{a} = {als[a]};")
            out.append("")
    else:
        out.append(f"    /// <summary><c>_Alignof({agg.cspelling})</c> for {where}.</summary>")
        out.append(f"    public const int Alignment = {al};")
        out.append("")
    for (d, cs, o, csf) in flex:
        out.append(f"    /// <summary>Byte offset of the flexible array member <c>{d}</c> (elements of <see cref=\"{cs}\"/>).</summary>")
        out.append(f"    public const int {csf}Offset = {o};")
        out.append("")
    seen_bits = {}
    for l in leaves:
        fdoc = xml(l.field.doc) if l.field.doc else ""
        if l.bits is not None:
            key = (l.offset, l.size)
            back = seen_bits.get(key)
            if back is None:
                back = l.csname + "Bits"
                seen_bits[key] = back
                group = [x for x in leaves if x.bits is not None and (x.offset, x.size) == key]
                names = ", ".join(f"<c>{x.designator}</c>" for x in group)
                out.append(f"    /// <summary>Storage unit of the C bitfields {names}.</summary>")
                for x in group:
                    out.append(f"    [CBitField(\"{x.designator}\", {x.bits[0]}, {x.bits[1]})]")
                out.append(f"    [FieldOffset({l.offset})]")
                out.append(f"    public {l.cstype} {back};")
                out.append("")
            mask = (1 << l.bits[1]) - 1
            ut = l.cstype
            out.append(f"    /// <summary>Bitfield <c>{l.designator}</c> (bits {l.bits[0]}..{l.bits[0] + l.bits[1] - 1} of <see cref=\"{back}\"/>). {fdoc}</summary>")
            out.append(f"    public {ut} {l.csname}")
            out.append("    {")
            out.append(f"        readonly get => unchecked(({ut})(({back} >> {l.bits[0]}) & 0x{mask:x}));")
            out.append(f"        set => {back} = unchecked(({ut})(({back} & ~(0x{mask:x} << {l.bits[0]})) | ((value & 0x{mask:x}) << {l.bits[0]})));")
            out.append("    }")
            out.append("")
            continue
        out.append(f"    /// <summary><c>{l.designator}</c>{': ' + fdoc if fdoc else '.'}</summary>")
        out.append(f"    [CField(\"{l.designator}\")]")
        out.append(f"    [FieldOffset({l.offset})]")
        if l.count:
            if l.cstype in CS_PRIM_SIZE:
                out.append(f"    public fixed {l.cstype} {l.csname}[{l.count}];")
            else:
                out.append(f"    public {l.csname}Buffer {l.csname};")
        else:
            out.append(f"    public {l.cstype} {l.csname};")
        out.append("")
    out.append(f"    /// <summary>Reads a private copy from <paramref name=\"source\"/> (the double-fetch rule: validate the copy, never the shared memory).</summary>")
    out.append(f"    /// <param name=\"source\">Bytes holding the C struct; may be unaligned.</param>")
    out.append(f"    /// <param name=\"value\">The copy; default when the span is too short.</param>")
    out.append(f"    /// <returns><see langword=\"false\"/> when <paramref name=\"source\"/> is shorter than <see cref=\"Size\"/>.</returns>")
    out.append(f"    public static bool TryRead(ReadOnlySpan<byte> source, out {name} value) => XenAbi.TryRead(source, out value);")
    out.append("")
    out.append(f"    /// <summary>Writes this value's bytes to <paramref name=\"destination\"/>.</summary>")
    out.append(f"    /// <param name=\"destination\">At least <see cref=\"Size\"/> bytes; may be unaligned.</param>")
    out.append(f"    /// <returns><see langword=\"false\"/> when <paramref name=\"destination\"/> is too short (nothing written).</returns>")
    out.append(f"    public readonly bool TryWrite(Span<byte> destination) => XenAbi.TryWrite(destination, in this);")
    # buffers for arrays of non-primitive elements
    for l in leaves:
        if l.count and l.cstype not in CS_PRIM_SIZE and l.bits is None:
            out.append("")
            out.append(f"    /// <summary>The {l.count} elements of <c>{l.designator}</c>.</summary>")
            out.append(f"    [StructLayout(LayoutKind.Explicit, Size = {l.size})]")
            out.append(f"    public struct {l.csname}Buffer")
            out.append("    {")
            out.append(f"        /// <summary>The number of elements.</summary>")
            out.append(f"        public const int Length = {l.count};")
            out.append("")
            for i in range(l.count):
                out.append(f"        /// <summary>Element {i}.</summary>")
                out.append(f"        [FieldOffset({i * l.elemsize})]")
                out.append(f"        public {l.cstype} E{i};")
                out.append("")
            out.append(f"        /// <summary>Element <paramref name=\"index\"/> (0 &lt;= index &lt; {l.count}).</summary>")
            out.append(f"        /// <param name=\"index\">The element index.</param>")
            out.append(f"        /// <returns>A reference into this buffer.</returns>")
            out.append(f"        [UnscopedRef]")
            out.append(f"        public ref {l.cstype} this[int index]")
            out.append("        {")
            out.append("            get")
            out.append("            {")
            out.append(f"                if ((uint)index >= Length)")
            out.append("                {")
            out.append("                    ThrowHelper.ThrowIndexOutOfRange();")
            out.append("                }")
            out.append("")
            out.append(f"                // SAFETY: index < Length and the elements E0..E{l.count - 1} are contiguous (explicit offsets i * {l.elemsize}).")
            out.append(f"                return ref Unsafe.Add(ref E0, index);")
            out.append("            }")
            out.append("        }")
            out.append("    }")
    out.append("}")
    out.append("")


def emit_consts(out, g):
    doc = xml(g.doc) if g.doc else f"Constants of <c>{g.header}</c>."
    out.append(f"/// <summary>{doc} (<c>{g.header}</c>)</summary>")
    if g.kind == "enum":
        if g.flags:
            out.append("[Flags]")
        out.append(f"public enum {g.csname} : {g.cstype}")
    else:
        out.append(f"public static partial class {g.csname}")
    out.append("{")
    for (macro, value, csname, cstype, arches, idoc) in g.items:
        a = "XenArchitectures.All" if arches == set(ARCHES) else ARCH_ENUM[next(iter(arches))]
        d = xml(idoc) if idoc else "."
        out.append(f"    /// <summary><c>{macro}</c>{': ' + d if idoc else d}</summary>")
        out.append(f"    [CConstant(\"{macro}\", \"{g.header}\"{'' if a == 'XenArchitectures.All' else ', ' + a})]")
        if g.kind == "enum":
            out.append(f"    {csname} = {cs_literal(value, g.cstype)},")
        else:
            out.append(f"    public const {cstype} {csname} = {cs_literal(value, cstype)};")
        out.append("")
    if out[-1] == "":
        out.pop()
    out.append("}")
    out.append("")


BANNER = "// <auto-generated>\n// Generated by src/Xen.Sdk.Abi/Generator/abigen.py from {src}. Do not edit: edit the data file and\n// run `python3 src/Xen.Sdk.Abi/Generator/abigen.py`. Layout offsets are computed by the generator and checked\n// by the gcc oracle (tests/Xen.Sdk.Abi.Tests/Oracle).\n// </auto-generated>\n"


def render(df, root):
    groups = {}
    order = []
    for it in df.items:
        ns = it[5] if isinstance(it, tuple) else it.ns
        if ns not in groups:
            groups[ns] = []
            order.append(ns)
        groups[ns].append(it)
    rel = os.path.relpath(df.path, root)
    out = [BANNER.format(src=rel.replace(os.sep, "/")).rstrip("\n")]
    out.append("#nullable enable")
    out.append("using System;")
    out.append("using System.Diagnostics.CodeAnalysis;")
    out.append("using System.Runtime.CompilerServices;")
    out.append("using System.Runtime.InteropServices;")
    out.append("using Xen.Sdk.Abi.Metadata;")
    for ns in order:
        out.append("")
        out.append(f"namespace Xen.Sdk.Abi{'.' + ns if ns else ''}")
        out.append("{")
        body = []
        for it in groups[ns]:
            if isinstance(it, tuple):
                emit_value(body, it[1], it[2], it[3], it[4])
            elif isinstance(it, ConstGroup):
                emit_consts(body, it)
            else:
                lay_out(it)
                for arch in ARCHES:
                    # One type for identical layouts (emitted once), one per bitness otherwise.
                    if arch in it.layout and (it.split or arch == min(it.layout)):
                        emit_struct(body, it, arch)
        if body and body[-1] == "":
            body.pop()
        out.extend(("    " + l) if l else "" for l in body)
        out.append("}")
    return "\n".join(out) + "\n"


def c_int(value):
    return int(re.sub(r"(?<=[0-9a-fA-F])(ULL|UL|LL|U|L)$", "", value), 0)


def render_op_table(dfs, root):
    """Hypercalls/HypercallArgumentTable.g.cs: (hypercall, sub-op) -> argument struct size per bitness."""
    macros = {}
    for df in dfs:
        for it in df.items:
            if isinstance(it, ConstGroup):
                for (macro, value, csname, cstype, arches, doc) in it.items:
                    macros.setdefault(macro, (c_int(value), it.csname + "." + csname))
    rows = []
    arrays = []
    for df in dfs:
        for it in df.items:
            if not isinstance(it, Aggregate) or not getattr(it, "ops", None):
                continue
            lay_out(it)
            for op in it.ops:
                if ":" not in op:
                    hnum, hname = macros["__HYPERVISOR_" + op]
                    arrays.append((hnum, op, it, {a: it.layout[a][0] for a in it.layout}))
                    continue
                hc, sub = op.split(":")
                hnum, hname = macros["__HYPERVISOR_" + hc]
                snum, sname = macros[sub]
                sizes = {a: it.layout[a][0] for a in it.layout}
                rows.append(((hnum << 32) | snum, hc, sub, it, sizes, hname, sname))
    rows.sort(key=lambda r: r[0])
    out = [BANNER.format(src="the op= annotations of the *.xabi files").rstrip("\n"), "#nullable enable", "",
           "namespace Xen.Sdk.Abi.Hypercalls", "{",
           "    /// <summary>",
           "    /// The argument struct of each (hypercall, sub-op) pair whose argument is one C struct (or an array of",
           "    /// them, for batched ops such as <c>GNTTABOP_*</c> and <c>mmuext_op</c>): what a hypervisor copies from the",
           "    /// guest handle, per bitness. Generated from the data files; sizes are the oracle-checked <c>Size</c>s.",
           "    /// </summary>",
           "    public static class HypercallArgumentTable",
           "    {",
           "        /// <summary>The number of (hypercall, sub-op) pairs in the table.</summary>",
           f"        public const int Count = {len(rows)};",
           "",
           "        /// <summary>The size in bytes of the argument struct of <paramref name=\"hypercall\"/>/<paramref name=\"subOp\"/>.</summary>",
           "        /// <param name=\"hypercall\">The hypercall.</param>",
           "        /// <param name=\"subOp\">The sub-op (the first argument).</param>",
           "        /// <param name=\"x86_64\"><see langword=\"true\"/> for a 64-bit guest, <see langword=\"false\"/> for a 32-bit one.</param>",
           "        /// <param name=\"size\">The struct size (one element for batched ops), or 0.</param>",
           "        /// <returns><see langword=\"false\"/> when the pair is not in the table.</returns>",
           "        public static bool TryGetArgumentSize(Hypercall hypercall, uint subOp, bool x86_64, out int size)",
           "        {",
           "            switch (((ulong)(uint)hypercall << 32) | subOp)",
           "            {"]
    for key, hc, sub, agg, sizes, hname, sname in rows:
        s64, s32 = sizes.get("64", 0), sizes.get("32", 0)
        out.append(f"                case 0x{key:016x}UL: // {hc} / {sub}: {agg.cspelling}")
        out.append(f"                    size = {s64};" if s64 == s32 else f"                    size = x86_64 ? {s64} : {s32};")
        out.append("                    return true;")
    out += ["                default:", "                    size = 0;", "                    return false;", "            }", "        }", "",
            "        /// <summary>",
            "        /// The element size of the array a sub-op-less hypercall takes as its first argument (<c>mmu_update</c>,",
            "        /// <c>mmuext_op</c>, <c>multicall</c>, <c>set_trap_table</c>).",
            "        /// </summary>",
            "        /// <param name=\"hypercall\">The hypercall.</param>",
            "        /// <param name=\"x86_64\"><see langword=\"true\"/> for a 64-bit guest.</param>",
            "        /// <param name=\"size\">The element size, or 0.</param>",
            "        /// <returns><see langword=\"false\"/> for other hypercalls.</returns>",
            "        public static bool TryGetArrayElementSize(Hypercall hypercall, bool x86_64, out int size)",
            "        {",
            "            switch ((uint)hypercall)",
            "            {"]
    for hnum, hc, agg, sizes in sorted(arrays, key=lambda a: a[0]):
        s64, s32 = sizes.get("64", 0), sizes.get("32", 0)
        out.append(f"                case {hnum}: // {hc}: {agg.cspelling}")
        out.append(f"                    size = {s64};" if s64 == s32 else f"                    size = x86_64 ? {s64} : {s32};")
        out.append("                    return true;")
    out += ["                default:", "                    size = 0;", "                    return false;", "            }", "        }", "    }", "}", "",
            "namespace Xen.Sdk.Abi.Hypercalls.Diagnostics", "{",
            "    /// <summary>The rows of <see cref=\"HypercallArgumentTable\"/> as data (host-only: allocates).</summary>",
            "    public static class HypercallArgumentRows", "    {",
            "        /// <summary>Every (hypercall, sub-op, C type, x86_64 size, x86_32 size) row, for host-side tests and tools.</summary>",
            "        /// <returns>The rows.</returns>",
            "        public static (Hypercall Hypercall, uint SubOp, string CType, int Size64, int Size32)[] Rows() => new (Hypercall, uint, string, int, int)[]",
            "        {"]
    for key, hc, sub, agg, sizes, hname, sname in rows:
        out.append(f"            ((Hypercall)0x{key >> 32:x}, 0x{key & 0xffffffff:x}, \"{agg.cspelling}\", {sizes.get('64', 0)}, {sizes.get('32', 0)}),")
    out += ["        };", "    }", "}"]
    return os.path.join(root, "Hypercalls", "HypercallArgumentTable.g.cs"), "\n".join(out) + "\n"


def main():
    check = "--check" in sys.argv
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    files = []
    for d, _, fs in os.walk(root):
        if "/bin" in d or "/obj" in d:
            continue
        for f in sorted(fs):
            if f.endswith(".xabi"):
                files.append(os.path.join(d, f))
    files.sort(key=lambda p: (os.path.basename(p) != "values.xabi", p))
    dfs = [parse(p) for p in files]
    bad = 0
    outputs = [(df.path[:-5] + ".g.cs", render(df, root)) for df in dfs]
    outputs.append(render_op_table(dfs, root))
    for target, text in outputs:
        old = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        if old != text:
            if check:
                print(f"abigen: {os.path.relpath(target, root)} is stale; run abigen.py", file=sys.stderr)
                bad += 1
            else:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
                print(f"abigen: wrote {os.path.relpath(target, root)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
