"""Source text of the reproduction snippets: plain NumPy, no import of this project.

ACTIVATION_SRC defines f and df for each registry entry with the very same
floating-point operations as bot.lab.activations, so a snippet reproduces a card's
numbers to the last digit; tests execute these and compare bit for bit.
"""

from __future__ import annotations

SIGMOID = """def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
"""
_SOFTPLUS = """def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
"""

ACTIVATION_SRC: dict[str, str] = {
    "identity": "f = lambda z: z\ndf = lambda z: np.ones_like(z)\n",
    "linear_squash": "f = lambda z: z / 1000\ndf = lambda z: np.ones_like(z) / 1000\n",
    "step": "f = lambda z: (z > 0).astype(float)\ndf = lambda z: np.zeros_like(z)\n",
    "sign": "f = lambda z: np.sign(z)\ndf = lambda z: np.zeros_like(z)\n",
    "sigmoid": SIGMOID + "f = sigmoid\ndf = lambda z: sigmoid(z) * (1 - sigmoid(z))\n",
    "tanh": "f = np.tanh\ndf = lambda z: 1 - np.tanh(z) ** 2\n",
    "hardtanh": "f = lambda z: np.clip(z, -1.0, 1.0)\n"
    "df = lambda z: ((z > -1) & (z < 1)).astype(float)\n",
    "relu": "f = lambda z: np.maximum(z, 0.0)\ndf = lambda z: (z > 0).astype(float)\n",
    "leaky_relu": "f = lambda z: np.where(z > 0, z, 0.01 * z)\n"
    "df = lambda z: np.where(z > 0, 1.0, 0.01)\n",
    "elu": "f = lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))\n"
    "df = lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))\n",
    "selu": "A, L = 1.6732632423543772, 1.0507009873554805\n"
    "f = lambda z: L * np.where(z > 0, z, A * np.expm1(np.minimum(z, 0.0)))\n"
    "df = lambda z: L * np.where(z > 0, 1.0, A * np.exp(np.minimum(z, 0.0)))\n",
    "gelu": "import math\n_erf = np.frompyfunc(math.erf, 1, 1)\n"
    "erf = lambda z: np.asarray(_erf(np.asarray(z, dtype=float)), dtype=float)\n"
    "phi = lambda z: np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)\n"
    "f = lambda z: 0.5 * z * (1 + erf(z / math.sqrt(2)))\n"
    "df = lambda z: 0.5 * (1 + erf(z / math.sqrt(2))) + z * phi(z)\n",
    "gelu_tanh": "import math\nC = math.sqrt(2.0 / math.pi)\n"
    "inner = lambda z: C * (z + 0.044715 * z**3)\n"
    "f = lambda z: 0.5 * z * (1 + np.tanh(inner(z)))\n"
    "df = lambda z: 0.5 * (1 + np.tanh(inner(z))) + 0.5 * z * (1 - np.tanh(inner(z)) ** 2) "
    "* C * (1 + 3 * 0.044715 * z**2)\n",
    "silu": SIGMOID + "f = lambda z: z * sigmoid(z)\n"
    "df = lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z)))\n",
    "mish": SIGMOID + _SOFTPLUS + "f = lambda z: z * np.tanh(softplus(z))\n"
    "def df(z):\n    t = np.tanh(softplus(z))\n    return t + z * (1 - t * t) * sigmoid(z)\n",
    "softplus": SIGMOID + _SOFTPLUS + "f = softplus\ndf = sigmoid\n",
    "softsign": "f = lambda z: z / (1 + np.abs(z))\ndf = lambda z: 1 / (1 + np.abs(z)) ** 2\n",
    "sin": "f = np.sin\ndf = np.cos\n",
    "gaussian": "f = lambda z: np.exp(-z**2)\ndf = lambda z: -2 * z * np.exp(-z**2)\n",
    "abs": "f = np.abs\ndf = np.sign\n",
}

NUM = '''def num(v):
    """6 significant digits, as on the card."""
    s = f"{float(v) + 0.0:.6g}"
    return "0" if s == "-0" else s
'''
