namespace System.Collections
{
    /// <summary>Non-generic enumeration (type identity only: Iced's decoder implements it; kernel code does not enumerate
    /// through interfaces).</summary>
    public interface IEnumerable
    {
        /// <summary>Enumerator.</summary>
        IEnumerator GetEnumerator();
    }

    /// <summary>Non-generic enumerator.</summary>
    public interface IEnumerator
    {
        /// <summary>Current element.</summary>
        object Current { get; }
        /// <summary>Advances.</summary>
        bool MoveNext();
        /// <summary>Restarts.</summary>
        void Reset();
    }
}

namespace System.Collections.Generic
{
    /// <summary>Generic enumeration (type identity only; see <see cref="System.Collections.IEnumerable"/>).</summary>
    public interface IEnumerable<out T> : System.Collections.IEnumerable
    {
        /// <summary>Enumerator.</summary>
        new IEnumerator<T> GetEnumerator();
    }

    /// <summary>Generic enumerator.</summary>
    public interface IEnumerator<out T> : System.Collections.IEnumerator, IDisposable
    {
        /// <summary>Current element.</summary>
        new T Current { get; }
    }
}

namespace System.Collections.Generic
{
    /// <summary>A growable array. Present only because Iced's decoder tables are built with it in class constructors
    /// that run once at boot; the freestanding check forbids SDK assemblies from referencing it.</summary>
    public class List<T>
    {
        private T[] _items;
        private int _size;

        /// <summary>Creates an empty list.</summary>
        public List() { _items = new T[4]; }

        /// <summary>Creates an empty list with a capacity.</summary>
        public List(int capacity) { _items = new T[capacity < 4 ? 4 : capacity]; }

        /// <summary>Element count.</summary>
        public int Count => _size;

        /// <summary>Capacity.</summary>
        public int Capacity => _items.Length;

        /// <summary>Element access.</summary>
        public T this[int index]
        {
            get { if ((uint)index >= (uint)_size) ThrowHelper.ThrowArgumentOutOfRangeException(); return _items[index]; }
            set { if ((uint)index >= (uint)_size) ThrowHelper.ThrowArgumentOutOfRangeException(); _items[index] = value; }
        }

        /// <summary>Appends.</summary>
        public void Add(T item)
        {
            if (_size == _items.Length)
            {
                var bigger = new T[_items.Length * 2];
                for (int i = 0; i < _size; i++) bigger[i] = _items[i];
                _items = bigger;
            }
            _items[_size++] = item;
        }

        /// <summary>Removes every element.</summary>
        public void Clear() { _size = 0; }

        /// <summary>Copies to a new array.</summary>
        public T[] ToArray()
        {
            var a = new T[_size];
            for (int i = 0; i < _size; i++) a[i] = _items[i];
            return a;
        }
    }
}
