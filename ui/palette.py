"""One colour-blind-safe palette for every chart in the course.

The colours are Okabe and Ito's set, chosen so that people with the common kinds
of colour blindness can still tell them apart. Charts also print their numbers,
so colour is never the only way to read them.
"""

BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"

# The order in which classes or series take colours.
SERIES = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, GREY]

# The two output activations keep the same colour on every page.
SOFTMAX = ORANGE
SIGMOID = BLUE

# Diverging and sequential scales for heatmaps and probability maps.
PROBABILITY_SCALE = "Cividis"


def colour_for(index: int) -> str:
    """The colour of series number `index`, cycling when there are more series than colours."""
    return SERIES[index % len(SERIES)]
