package org.llasalab.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A verifier that remembers scores. The key is a SHA-256 hash of the verifier's identity (type and
 * parameters), the candidate's audio samples, target text, prompt audio, prompt text and target
 * emotion, so equal candidates are scored once. The cache is bounded (least recently used entries are
 * dropped) and thread-safe; two threads that miss on the same candidate at once may both score it.
 */
public final class CachingVerifier implements Verifier {
    private final Verifier delegate;
    private final String identity;
    private final int maxEntries;
    private final Map<String, Score> cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public CachingVerifier(Verifier delegate, String identity, int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("cache size must be positive: " + maxEntries);
        }
        this.delegate = delegate;
        this.identity = identity;
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Score> eldest) {
                return size() > CachingVerifier.this.maxEntries;
            }
        };
    }

    /** A stable identity for a verifier type and its parameters (nested maps in key order). */
    public static String identity(String type, Map<String, Object> params) {
        StringBuilder sb = new StringBuilder(type).append('|');
        render(params, sb);
        return sb.toString();
    }

    private static void render(Object value, StringBuilder sb) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sb.append('{');
            sorted.forEach((k, v) -> {
                sb.append(k).append('=');
                render(v, sb);
                sb.append(';');
            });
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (Object v : list) {
                render(v, sb);
                sb.append(',');
            }
            sb.append(']');
        } else {
            sb.append(value);
        }
    }

    public Verifier delegate() {
        return delegate;
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public String metric() {
        return delegate.metric();
    }

    @Override
    public Direction direction() {
        return delegate.direction();
    }

    @Override
    public double min() {
        return delegate.min();
    }

    @Override
    public double max() {
        return delegate.max();
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        Score[] out = new Score[batch.size()];
        String[] keys = new String[batch.size()];
        List<Candidate> todo = new ArrayList<>();
        List<Integer> todoIndex = new ArrayList<>();
        Map<String, Integer> firstMissOfKey = new LinkedHashMap<>();
        synchronized (cache) {
            for (int i = 0; i < batch.size(); i++) {
                keys[i] = key(batch.get(i));
                Score cached = cache.get(keys[i]);
                if (cached != null) {
                    out[i] = cached;
                    hits.incrementAndGet();
                } else if (firstMissOfKey.putIfAbsent(keys[i], i) == null) {
                    todo.add(batch.get(i));
                    todoIndex.add(i);
                    misses.incrementAndGet();
                } else {
                    hits.incrementAndGet(); // a duplicate within this batch: scored once below
                }
            }
        }
        if (!todo.isEmpty()) {
            List<Score> fresh = delegate.score(todo);
            if (fresh.size() != todo.size()) {
                throw new IllegalStateException("verifier " + delegate.metric() + " returned " + fresh.size()
                        + " scores for " + todo.size() + " candidates");
            }
            synchronized (cache) {
                for (int j = 0; j < fresh.size(); j++) {
                    int i = todoIndex.get(j);
                    out[i] = fresh.get(j);
                    cache.put(keys[i], fresh.get(j));
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = out[firstMissOfKey.get(keys[i])];
            }
        }
        return List.of(out);
    }

    private String key(Candidate c) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        text(md, identity);
        floats(md, c.audio());
        text(md, c.targetText());
        floats(md, c.promptAudio());
        text(md, c.promptText());
        text(md, c.targetEmotion());
        return HexFormat.of().formatHex(md.digest());
    }

    private static void text(MessageDigest md, String s) {
        if (s == null) {
            md.update(new byte[] {0});
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update((byte) 1);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    private static void floats(MessageDigest md, float[] x) {
        if (x == null) {
            md.update(new byte[] {0});
            return;
        }
        md.update((byte) 1);
        md.update(ByteBuffer.allocate(4).putInt(x.length).array());
        ByteBuffer buf = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < x.length; i++) {
            if (!buf.hasRemaining()) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(x[i]);
        }
        md.update(buf.array(), 0, buf.position());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
