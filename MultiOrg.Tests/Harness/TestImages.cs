using System.Text;
using SkiaSharp;

namespace MultiOrg.Tests.Harness;

/// <summary>Real PNG and JPEG files drawn with SkiaSharp, and the metadata chunks a camera or an editor would add.</summary>
public static class TestImages
{
    public static byte[] Png(int width = 64, int height = 32) => Draw(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width = 64, int height = 32) => Draw(width, height, SKEncodedImageFormat.Jpeg);

    /// <summary>The PNG with a tEXt and an eXIf chunk holding <paramref name="secret"/> right after its header chunk.</summary>
    public static byte[] PngWithMetadata(string secret)
    {
        var png = Png();
        const int afterHeader = 8 + 4 + 4 + 13 + 4;
        return [.. png[..afterHeader], .. Chunk("tEXt", Encoding.ASCII.GetBytes("Comment\0" + secret)),
            .. Chunk("eXIf", Exif(secret, null)), .. png[afterHeader..]];
    }

    /// <summary>The JPEG with an APP1 Exif segment holding <paramref name="secret"/> right after its start marker.</summary>
    public static byte[] JpegWithExif(string secret, ushort? orientation = null)
    {
        var jpeg = Jpeg();
        byte[] payload = [.. "Exif\0\0"u8, .. Exif(secret, orientation)];
        var length = payload.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }

    public static SKBitmap Decode(byte[] image) => SKBitmap.Decode(image) ?? throw new InvalidDataException("Not an image.");

    private static byte[] Draw(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Navy);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(width / 4f, height / 4f, width / 2f, height / 2f, paint);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>
    /// A big-endian TIFF header whose first directory holds the orientation tag (0x0112) when given, then the secret
    /// where GPS data would sit.
    /// </summary>
    private static byte[] Exif(string secret, ushort? orientation)
    {
        byte[] directory = orientation is { } o
            ? [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(o >> 8), (byte)o, 0, 0, 0, 0, 0, 0]
            : [0, 0, 0, 0, 0, 0];
        return [.. "MM\0*\0\0\0\b"u8, .. directory, .. Encoding.ASCII.GetBytes(secret)];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        var crc = Crc32(typeAndData);
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length,
            .. typeAndData, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    /// <summary>The CRC a PNG chunk carries (ISO 3309), so the decoder reads the chunk rather than dropping it as damaged.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
