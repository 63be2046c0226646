package org.llasalab.eval.run;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The disk holding a results folder is full (or over quota): the run stops at once instead of running
 * searches whose results it cannot keep. Every utterance written before stays valid (results are
 * written atomically), so the message says how to go on: make room and rerun, which resumes.
 */
public final class DiskFullException extends IOException {
    DiskFullException(Path folder, int kept, Throwable cause) {
        super(folder + ": the disk is full (" + cause.getMessage() + "); the " + kept + " utterances finished by"
                + " this run and all earlier ones are kept. Free some space (or copy the folder to a larger disk and"
                + " pass it as --output) and run the same command again: it resumes with what is missing.", cause);
    }

    /** Whether {@code e} or one of its causes is a full disk or an exceeded quota (ENOSPC, EDQUOT). */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DiskFullException) return true;
            String m = t instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : t.getMessage();
            if (m == null) continue;
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) return true;
        }
        return false;
    }

    /** {@code e} as a {@link DiskFullException} when it is a full disk, else {@code e} itself. */
    static IOException explain(IOException e, Path folder, int kept) {
        if (e instanceof DiskFullException || !isDiskFull(e)) return e;
        return new DiskFullException(folder, kept, e);
    }
}
