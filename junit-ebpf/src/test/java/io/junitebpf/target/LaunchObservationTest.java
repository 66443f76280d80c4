package io.junitebpf.target;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which launches a test's observation (strict mode) sees: its own thread's and those of threads it starts, not
 * those of a fork-join pool thread that merely came to life while it observed (JUnit's parallel executor grows its
 * pool that way, and such a thread then runs other tests), and none after the observation closed.
 */
class LaunchObservationTest {

    private static final Path TRUE = Path.of("/bin/true");

    @Test
    void ownThreadAndStartedThreadsOnlyWhileObserving() throws Exception {
        List<TargetProcess> seen = new CopyOnWriteArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(1);
        CountDownLatch later = new CountDownLatch(1);
        Thread lingering;
        try {
            TargetProcess own;
            TargetProcess started;
            TargetProcess pooled;
            try (AutoCloseable observed = TargetProcess.observeLaunches(seen::add)) {
                own = TargetProcess.launch(TRUE, List.of(), TargetProcess.Gate.NONE);
                TargetProcess[] fromThread = new TargetProcess[1];
                Thread thread = new Thread(() -> fromThread[0] = TargetProcess.launch(TRUE, List.of(),
                        TargetProcess.Gate.NONE));
                thread.start();
                thread.join();
                started = fromThread[0];
                // the pool's worker thread is created here, by the observing thread, and inherits its observer
                pooled = pool.submit(() -> TargetProcess.launch(TRUE, List.of(), TargetProcess.Gate.NONE)).get();
                lingering = new Thread(() -> {
                    try {
                        later.await();
                        TargetProcess.launch(TRUE, List.of(), TargetProcess.Gate.NONE).close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                lingering.start();
            }
            later.countDown(); // launches after the observation closed
            lingering.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(seen).containsExactly(own, started).doesNotContain(pooled);
            for (TargetProcess p : List.of(own, started, pooled)) {
                p.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
