package crew.ui.designer.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.model.net.IpFamily;

/**
 * The address-space map's geometry, free of SWT so that it can be tested plainly: a window {@code [start, end)} of
 * one family's address space (as unsigned integers) laid over {@code width} pixels. Immutable; zooming and panning
 * return a new scale that always stays inside the family's space and never shows fewer than {@link #MIN_SPAN}
 * addresses.
 */
final class AddressScale {
    /** The narrowest window: 16 addresses. */
    static final BigInteger MIN_SPAN = BigInteger.valueOf(16);

    private final IpFamily family;
    private final BigInteger start;
    private final BigInteger end;
    private final int width;

    AddressScale(IpFamily family, BigInteger start, BigInteger end, int width) {
        BigInteger size = size(family);
        BigInteger span = end.subtract(start);
        if (span.compareTo(MIN_SPAN) < 0) {
            span = MIN_SPAN.min(size);
        }
        if (span.compareTo(size) > 0) {
            span = size;
        }
        if (start.signum() < 0) {
            start = BigInteger.ZERO;
        }
        if (start.add(span).compareTo(size) > 0) {
            start = size.subtract(span);
        }
        this.family = family;
        this.start = start;
        this.end = start.add(span);
        this.width = Math.max(1, width);
    }

    /** The whole space of {@code family} over {@code width} pixels. */
    static AddressScale whole(IpFamily family, int width) {
        return new AddressScale(family, BigInteger.ZERO, size(family), width);
    }

    /** 2^32 or 2^128. */
    static BigInteger size(IpFamily family) {
        return BigInteger.ONE.shiftLeft(family.bits());
    }

    static BigInteger value(IpAddress a) {
        BigInteger hi = new BigInteger(Long.toUnsignedString(a.high()));
        BigInteger lo = new BigInteger(Long.toUnsignedString(a.low()));
        return hi.shiftLeft(64).or(lo);
    }

    static IpAddress address(IpFamily family, BigInteger value) {
        BigInteger v = value.max(BigInteger.ZERO).min(size(family).subtract(BigInteger.ONE));
        if (family == IpFamily.IPV4) {
            return IpAddress.ofIpv4((int) v.longValue());
        }
        return IpAddress.ofIpv6(v.shiftRight(64).longValue(), v.longValue());
    }

    IpFamily family() {
        return family;
    }

    BigInteger start() {
        return start;
    }

    /** Exclusive. */
    BigInteger end() {
        return end;
    }

    BigInteger span() {
        return end.subtract(start);
    }

    int width() {
        return width;
    }

    AddressScale withWidth(int newWidth) {
        return new AddressScale(family, start, end, newWidth);
    }

    boolean isWhole() {
        return start.signum() == 0 && end.equals(size(family));
    }

    /** The pixel (0..width, possibly outside) of an address boundary {@code value} (floor). */
    long x(BigInteger value) {
        return value.subtract(start).multiply(BigInteger.valueOf(width)).divide(span()).longValue();
    }

    /**
     * The pixels {@code [x0, x1)} that {@code range} covers in the window, clipped to {@code [0, width]} and at least
     * one pixel wide, or null when the range lies outside the window.
     */
    int[] span(Cidr range) {
        if (range.family() != family) {
            return null;
        }
        BigInteger first = value(range.first());
        BigInteger afterLast = value(range.last()).add(BigInteger.ONE);
        if (afterLast.compareTo(start) <= 0 || first.compareTo(end) >= 0) {
            return null;
        }
        long x0 = Math.max(0, x(first.max(start)));
        long x1 = Math.min(width, x(afterLast.min(end)));
        if (x1 <= x0) {
            x1 = Math.min(width, x0 + 1);
            if (x1 <= x0) {
                x0 = width - 1L;
                x1 = width;
            }
        }
        return new int[] {(int) x0, (int) x1};
    }

    /** The address under pixel {@code x} (clamped to the window). */
    BigInteger at(int x) {
        int cx = Math.max(0, Math.min(width - 1, x));
        BigInteger v = start.add(span().multiply(BigInteger.valueOf(cx)).divide(BigInteger.valueOf(width)));
        return v.min(end.subtract(BigInteger.ONE));
    }

    /**
     * Zooms by {@code factor} (2: twice as close; 0.5: twice as far) keeping the address under pixel {@code anchorX}
     * where it is.
     */
    AddressScale zoom(double factor, int anchorX) {
        BigDecimal oldSpan = new BigDecimal(span());
        BigInteger newSpan = oldSpan.divide(BigDecimal.valueOf(factor), MathContext.DECIMAL128).setScale(0, RoundingMode.HALF_UP).toBigInteger();
        if (newSpan.compareTo(MIN_SPAN) < 0) {
            newSpan = MIN_SPAN;
        }
        BigInteger anchor = at(anchorX);
        // keep anchor at the same fraction of the window
        int ax = Math.max(0, Math.min(width - 1, anchorX));
        BigInteger offset = newSpan.multiply(BigInteger.valueOf(ax)).divide(BigInteger.valueOf(width));
        BigInteger newStart = anchor.subtract(offset);
        return new AddressScale(family, newStart, newStart.add(newSpan), width);
    }

    /** Zooms around the middle. */
    AddressScale zoom(double factor) {
        return zoom(factor, width / 2);
    }

    /** Moves the window by {@code fraction} of its span (negative: towards lower addresses). */
    AddressScale pan(double fraction) {
        BigInteger delta = new BigDecimal(span()).multiply(BigDecimal.valueOf(fraction)).setScale(0, RoundingMode.HALF_UP).toBigInteger();
        return new AddressScale(family, start.add(delta), end.add(delta), width);
    }

    /** Exactly {@code range} (at least {@link #MIN_SPAN} addresses around it). */
    AddressScale zoomTo(Cidr range) {
        BigInteger first = value(range.first());
        BigInteger afterLast = value(range.last()).add(BigInteger.ONE);
        if (afterLast.subtract(first).compareTo(MIN_SPAN) < 0) {
            BigInteger mid = first.add(afterLast).shiftRight(1);
            first = mid.subtract(MIN_SPAN.shiftRight(1));
            afterLast = first.add(MIN_SPAN);
        }
        return new AddressScale(range.family(), first, afterLast, width);
    }

    /**
     * Tick marks: the boundaries of the aligned blocks of the largest size that gives at least {@code minTicks}
     * inside the window, as CIDRs (the block starting at each tick).
     */
    List<Cidr> ticks(int minTicks) {
        int bits = family.bits();
        int prefix = 0;
        while (prefix < bits) {
            BigInteger block = BigInteger.ONE.shiftLeft(bits - prefix);
            if (span().divide(block).compareTo(BigInteger.valueOf(minTicks)) >= 0) {
                break;
            }
            prefix++;
        }
        BigInteger block = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger first = start.add(block).subtract(BigInteger.ONE).divide(block).multiply(block);
        List<Cidr> ticks = new ArrayList<>();
        for (BigInteger t = first; t.compareTo(end) < 0 && ticks.size() < 64; t = t.add(block)) {
            ticks.add(Cidr.of(address(family, t), prefix));
        }
        return ticks;
    }

    /** The visible range in words: first and last address and how many addresses. */
    String label() {
        return family + " " + address(family, start) + " \u2013 " + address(family, end.subtract(BigInteger.ONE)) + " (" + count(span())
                + (isWhole() ? ", the whole space" : "") + ")";
    }

    /** A count of addresses: exact up to a billion, then as a power of two when it is one, else rounded. */
    static String count(BigInteger n) {
        if (n.bitLength() <= 31) {
            return String.format("%,d addresses", n.longValue());
        }
        if (n.bitCount() == 1) {
            return "2^" + (n.bitLength() - 1) + " addresses";
        }
        return "about 2^" + (n.bitLength() - 1) + " addresses";
    }

    @Override
    public String toString() {
        return label() + " over " + width + " px";
    }
}
