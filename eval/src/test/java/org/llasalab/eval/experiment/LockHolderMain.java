package org.llasalab.eval.experiment;

import java.nio.file.Path;
import org.llasalab.eval.run.RunLock;

/**
 * Another process on a results folder, for {@link RunLockTest}: takes the {@link RunLock} of shard {@code args[1]}
 * ("0/1" for an unsharded run) on folder {@code args[0]}, prints "locked" and holds it until its stdin closes.
 */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), Shard.parse(args[1]), () -> {})) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin (or kills us)
            }
        }
    }
}
