using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>UTF-16 string. String literals are frozen objects the compiler emits; the kernel never builds strings at run time.
    /// ilc requires the field names <c>_stringLength</c> and <c>_firstChar</c>.</summary>
    public sealed class String
    {
        private readonly int _stringLength;
        private char _firstChar;

        /// <summary>Length in UTF-16 code units.</summary>
        public int Length => _stringLength;

        /// <summary>A code unit (bounds checked).</summary>
        [IndexerName("Chars")]
        public char this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_stringLength) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        /// <summary>For <c>fixed</c>.</summary>
        public ref readonly char GetPinnableReference() => ref _firstChar;

        /// <summary>Ordinal equality.</summary>
        public static bool Equals(string a, string b)
        {
            if ((object)a == b) return true;
            if (a is null || b is null || a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++)
                if (Unsafe.Add(ref a._firstChar, i) != Unsafe.Add(ref b._firstChar, i)) return false;
            return true;
        }

        /// <summary>Ordinal equality.</summary>
        public static bool operator ==(string a, string b) => Equals(a, b);

        /// <summary>Ordinal inequality.</summary>
        public static bool operator !=(string a, string b) => !Equals(a, b);

        /// <summary>Ordinal equality.</summary>
        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        /// <summary>FNV-1a over the code units.</summary>
        public override int GetHashCode()
        {
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++) h = (h ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
            return (int)h;
        }

        /// <summary>The string itself.</summary>
        public override string ToString() => this;

        /// <summary>Span over the characters.</summary>
        public static implicit operator ReadOnlySpan<char>(string value) =>
            value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);
    }
}
