package io.alauda.dra.plugin.prepare;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what is logged at INFO and above while open (JBoss Logging writes through java.util.logging here): by the
 * plugin, or with {@link #everything()} by any library too.
 */
final class CapturedLog extends Handler implements AutoCloseable {

    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;

    CapturedLog() {
        this("io.alauda.dra.plugin");
    }

    private CapturedLog(String category) {
        logger = Logger.getLogger(category);
        setLevel(Level.INFO);
        logger.addHandler(this);
    }

    static CapturedLog everything() {
        return new CapturedLog("");
    }

    List<String> at(Level atLeast) {
        return records.stream().filter(r -> r.getLevel().intValue() >= atLeast.intValue())
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
