using MudBlazor;

namespace MultiOrg.Web.Shell;

/// <summary>
/// Bar chart options whose y axis fits the data: MudBlazor's default tick spacing of 20 draws 0–20 for three members
/// and a wall of ticks for thousands of credits. Counts only, so the step is a whole 1, 2 or 5 × 10ⁿ.
/// </summary>
public static class ChartScale
{
    public const int Ticks = 4;

    public static BarChartOptions Bars(IEnumerable<double> values, string? colour = null, bool showValues = true)
    {
        var options = new BarChartOptions
        {
            ShowLegend = false,
            ShowValues = showValues,
            YAxisTicks = StepFor(values.DefaultIfEmpty(0).Max()),
            MaxNumYAxisTicks = Ticks + 2,
        };
        if (colour is not null)
        {
            options.ChartPalette = [colour];
        }

        return options;
    }

    /// <summary>The smallest of 1, 2, 5, 10, 20, 50 … that spans the largest value in at most <see cref="Ticks"/> steps.</summary>
    public static int StepFor(double largest)
    {
        var step = 1;
        while (step * Ticks < largest)
        {
            step = NextStep(step);
        }

        return step;
    }

    private static int NextStep(int step)
    {
        var magnitude = (int)Math.Pow(10, Math.Floor(Math.Log10(step)));
        return (step / magnitude) switch
        {
            1 => 2 * magnitude,
            2 => 5 * magnitude,
            _ => 10 * magnitude,
        };
    }
}
