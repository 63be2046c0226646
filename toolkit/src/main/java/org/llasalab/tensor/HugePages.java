package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Native memory for weights that are streamed on every token, backed by 2 MiB transparent huge pages
 * where Linux gives them: mapped anonymously and {@code madvise(MADV_HUGEPAGE)}d before anything touches
 * it (the usual setting, {@code madvise}, gives huge pages only to memory that asks). A decode step then
 * walks a few thousand page-table entries instead of half a million for a 1B model. Elsewhere, or where
 * a call is refused, it is ordinary zeroed memory from the arena.
 */
final class HugePages {
    private static final long HUGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20, MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP, MADVISE, MUNMAP;

    static {
        MethodHandle mmap = null, madvise = null, munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") && !Boolean.getBoolean("llasa.noHugePages")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            } catch (RuntimeException | LinkageError e) {
                mmap = null; // native access not enabled, or no such symbols: ordinary memory
            }
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private HugePages() {}

    /** {@code bytes} of zeroed native memory that lives as long as {@code arena}, on huge pages where possible. */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (MMAP == null || bytes < HUGE) return arena.allocate(bytes, 4096);
        try {
            // map 2 MiB more than needed, so that an aligned start can be chosen inside the mapping
            long mapped = (bytes + HUGE - 1) / HUGE * HUGE + HUGE;
            MemorySegment base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, mapped, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (base.address() == -1L) return arena.allocate(bytes, 4096);
            long start = (base.address() + HUGE - 1) / HUGE * HUGE;
            MemorySegment aligned = MemorySegment.ofAddress(start).reinterpret(mapped - (start - base.address()));
            int ignored = (int) MADVISE.invokeExact(aligned, aligned.byteSize(), MADV_HUGEPAGE);
            long baseAddress = base.address();
            return MemorySegment.ofAddress(start).reinterpret(bytes, arena, s -> unmap(baseAddress, mapped));
        } catch (Throwable e) {
            return arena.allocate(bytes, 4096);
        }
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
        } catch (Throwable e) {
            // the process is going away or the mapping is gone: nothing to do
        }
    }
}
