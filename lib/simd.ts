// Not built in a lesson: an accelerator for lesson 10's character model (lib/charlm-simd.ts) and for
// Adam (lib/update.ts), with the same numbers, bit for bit, as the plain TypeScript they stand in for
// (lib/charlm.ts's products, lib/math.ts's tanh and exp, lib/softmax.ts, lib/adam.ts's adamUpdate).
//
// Why it exists: scalar JavaScript does one multiply and one add at a time, and V8 reaches about
// 2 GFLOP/s on these products; NumPy's BLAS uses the CPU's vector registers. WebAssembly's 128-bit
// SIMD does two float64 multiplies (or adds) per instruction: on the course machine the product kernel
// below ran a 100×100 matrix times one vector at about 7 GFLOP/s, and times 25 vectors at about 10.
//
// Why the numbers do not change: every output is still ONE running sum that starts from its own
// value and adds its terms in ascending k, each product rounded, then each sum rounded (f64x2.mul then
// f64x2.add: IEEE-754 double arithmetic, no fused multiply-add). The two lanes of a register hold two
// DIFFERENT outputs (two rows of A), never two terms of one sum, so nothing is reassociated.
//
// The product kernel, for j < n and i < m:
//   Y[j·ldy + i] += Σ_{k<K} A[i, k] · X[j·ldxj + k·ldxk]      (k ascending)
// with A stored so that, for each k, 8 consecutive rows sit side by side (see Panels): one step of k
// reads them with four 128-bit loads, the same x_k serves all of them, and eight running sums sit in
// four registers; two columns j at a time share each value of A they load. Also in the module: packing
// a row-major matrix into panels; Adam's step two values at a time (the same operations in the same
// order as adamUpdate; division and square root are exactly rounded in IEEE-754, like + and ×); and
// lib/math.ts's tanh and exp, and lib/softmax.ts's softmax on them (see lib/simd-wat.ts's MATH_WAT).
//
// The kernels' source, in WebAssembly's text format, is lib/simd-wat.ts's KERNEL_WAT; KERNEL_WASM below
// is its binary, made from it by wabt (`npm run wasm`; test/unit/simd.test.ts checks that the two
// agree). The source lives in its own file so that what the site's pages load holds only the binary.

/** lib/simd-wat.ts's KERNEL_WAT compiled by wabt 1.0.39 (base64). */
export const KERNEL_WASM = "AGFzbQEAAAABNQVgC39/f39/f39/f39/AGAFf39/f38AYA1/f39/f3x8fHx8fHx/AX9gA39/fwBgA39/fAF8Ag4BAmpzBm1lbW9yeQIAAQMHBgABAgMDBAc+Bg9hZGRQYW5lbFByb2R1Y3QAAApwYWNrUGFuZWxzAAEEYWRhbQACBHRhbmgAAwNleHAABAdzb2Z0bWF4AAUKnmQG7QYDCH8OewF/IANBeHEhCyABQQN0IQEgAkEDdCECIAZBA3QhBiAHQQN0IQcgCkEDdCEKAkADQCAMQQFqIAhODQFBACENAkADQCANIAtODQEgCSAMIApsaiANQQN0aiERIBEgCmohEiAR/QAEACEZIBH9AAQQIRogEf0ABCAhGyAR/QAEMCEcIBL9AAQAIR0gEv0ABBAhHiAS/QAEICEfIBL9AAQwISAgACANQQN2IAFsaiEPIAUgDCAGbGohEEEAIQ4CQANAIA4gBE4NASAQ/QoDACETIBAgBmr9CgMAIRQgD/0ABAAhFSAP/QAEECEWIA/9AAQgIRcgD/0ABDAhGCAZIBUgE/3yAf3wASEZIBogFiAT/fIB/fABIRogGyAXIBP98gH98AEhGyAcIBggE/3yAf3wASEcIB0gFSAU/fIB/fABIR0gHiAWIBT98gH98AEhHiAfIBcgFP3yAf3wASEfICAgGCAU/fIB/fABISAgDyACaiEPIBAgB2ohECAOQQFqIQ4MAAsLIBEgGf0LBAAgESAa/QsEECARIBv9CwQgIBEgHP0LBDAgEiAd/QsEACASIB79CwQQIBIgH/0LBCAgEiAg/QsEMCANQQhqIQ0MAAsLIAxBAmohDAwACwtBACEMAkADQCAMIAhODQEgCyENIAhBAXEgDCAIQQFrRnEEQEEAIQ0LAkADQCANIANODQEgCSAMIApsaiANQQN0aiERIBH9AAQAIRkgEf0ABBAhGiAR/QAEICEbIBH9AAQwIRwgACANQQN2IAFsaiEPIAUgDCAGbGohEEEAIQ4CQANAIA4gBE4NASAQ/QoDACETIBkgD/0ABAAgE/3yAf3wASEZIBogD/0ABBAgE/3yAf3wASEaIBsgD/0ABCAgE/3yAf3wASEbIBwgD/0ABDAgE/3yAf3wASEcIA8gAmohDyAQIAdqIRAgDkEBaiEODAALCyADIA1rISEgIUECTgRAIBEgGf0LBAAFIBEgGf1bAwAACyAhQQROBEAgESAa/QsEEAUgIUEDRgRAIBEgGv1bAxAACwsgIUEGTgRAIBEgG/0LBCAFICFBBUYEQCARIBv9WwMgAAsLICFBCE4EQCARIBz9CwQwBSAhQQdGBEAgESAc/VsDMAALCyANQQhqIQ0MAAsLIAxBAWohDAwACwsLcAEEfwJAA0AgBSACTg0BIAAgBSABbEEDdGohByAEIAVBeHEgA2wgBUEHcWpBA3RqIQhBACEGAkADQCAGIANODQEgCCAHKwMAOQMAIAdBCGohByAIQcAAaiEIIAZBAWohBgwACwsgBUEBaiEFDAALCwu1AwIDfw57IAb9FCEVRAAAAAAAAPA/IAah/RQhFiAH/RQhF0QAAAAAAADwPyAHof0UIRggBf0UIRkgCP0UIRogCf0UIRsgCv0UIRwgC/0UIR0gBEEDdCEOAkADQCANIA5PDQEgDUEIaiAOSSEPIA8EQCABIA1q/QAEACEQIAIgDWr9AAQAIREgAyANav0ABAAhEiAAIA1q/QAEACETBSABIA1q/QoDACEQIAIgDWr9CgMAIREgAyANav0KAwAhEiAAIA1q/QoDACETCyAMBEAgECAd/fIBIRALIBUgEf3yASAWIBD98gH98AEhESAXIBL98gEgGCAQ/fIBIBD98gH98AEhEiATIBkgESAb/fMB/fIBIBIgHP3zAf3vASAa/fAB/fMB/fEBIRMgFCAT/QwAAAAAAAAAAAAAAAAAAAAA/fIB/fABIRQgDwRAIAIgDWogEf0LBAAgAyANaiAS/QsEACAAIA1qIBP9CwQABSACIA1qIBH9WwMAACADIA1qIBL9WwMAACAAIA1qIBP9WwMAAAsgDUEQaiENDAALCyAU/QwAAAAAAAAAAAAAAAAAAAAA/Uf9wwELgyYCA38oe0EAIQMgAkEDdCEEAkADQCADQSBqIARLDQEgACADav0ABAAhBiAAIANBEGpq/QAEACEaIAb97AEhByAH/QwAAAAAAADwPwAAAAAAAPA//UwhCCAG/QwAAAAAAAAAAAAAAAAAAAAA/UohCf0MAAAAAAAAAEAAAAAAAAAAQP0MAAAAAAAAAMAAAAAAAAAAwCAI/VIgB/3yAf3sASEM/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/QwAAAAAAAAAAAAAAAAAAAAA/UkhDf0M/oIrZUcV9z/+gitlRxX3P/0MAAAAAAAAAEAAAAAAAAAAQP0MAAAAAAAAAMAAAAAAAAAAwCAI/VIgB/3yAf3yAf0MAAAAAAAA4L8AAAAAAADgv/0MAAAAAAAA4D8AAAAAAADgPyAN/VL98AH9eiEO/QwAAAAAAADwvwAAAAAAAPC//QwAAAAAAADwPwAAAAAAAPA/IA39UiAOIAz9DAAAAACyovA/AAAAALKi8D/9Sf1SIQ79DAAAAAAAAAAAAAAAAAAAAAAgDiAM/QwAAAAAQy7WPwAAAABDLtY//Un9UiEO/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIBIA79DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDyAO/Qx2PHk17znqPXY8eTXvOeo9/fIBIRAgDyAQ/fEBIRkgDyAZ/fEBIBD98QEhEf0MAAAAAAAA4D8AAAAAAADgPyAZ/fIBIRIgGSAS/fIBIRP9DAAAAAAAAPA/AAAAAAAA8D8gE/0M9BARERERob/0EBERERGhvyAT/QyFVf4ZoAFaP4VV/hmgAVo/IBP9DLfbqp4ZzhS/t9uqnhnOFL8gE/0MOVLmhsrP0D45UuaGys/QPiAT/Qwtwwlut/2Kvi3DCW63/Yq+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fABIRT9DAAAAAAAAAhAAAAAAAAACEAgFCAS/fIB/fEBIRUgEyAUIBX98QH9DAAAAAAAABhAAAAAAAAAGEAgGSAV/fIB/fEB/fMB/fIBIRYgGSAZIBb98gEgE/3xAf3xASEVIBkgFiAR/fEB/fIBIBH98QEgE/3xASEWIA79/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASEXIA797QH9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASEYIBX9DAAAAAAAAOA/AAAAAAAA4D8gGSAW/fEB/fIB/QwAAAAAAADgPwAAAAAAAOA//fEB/QwAAAAAAAAAwAAAAAAAAADAIBYgGf0MAAAAAAAA4D8AAAAAAADgP/3wAf3xAf3yAf0MAAAAAAAA8D8AAAAAAADwP/0MAAAAAAAAAEAAAAAAAAAAQCAZIBb98QH98gH98AEgGf0MAAAAAAAA0L8AAAAAAADQv/1J/VL9DAAAAAAAAPA/AAAAAAAA8D8gFiAZ/fEB/fEBIBf98gH9DAAAAAAAAPA/AAAAAAAA8D/98QH9DAAAAAAAAPA/AAAAAAAA8D8gGP3xASAWIBn98QH98QEgF/3yASAZIBYgGP3wAf3xAf0MAAAAAAAA8D8AAAAAAADwP/3wASAX/fIBIA79DAAAAAAAADRAAAAAAAAANED9Sf1SIA79DAAAAAAAAADAAAAAAAAAAMD9SyAO/QwAAAAAAABMQAAAAAAAAExA/Ur9UP1SIA79DAAAAAAAAPA/AAAAAAAA8D/9R/1SIA79DAAAAAAAAPC/AAAAAAAA8L/9R/1SIA79DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRX9DAAAAAAAAABAAAAAAAAAAEAgFf3tASAI/VIgFf0MAAAAAAAAAEAAAAAAAAAAQP3wAf3zASEK/QwAAAAAAADwPwAAAAAAAPA/IAr98QEgCiAI/VIhCyALIAv97QEgCf1SIQsgBiALIAf9DAAAAAAAADA+AAAAAAAAMD79Sf1SIQsgC/0MAAAAAAAA8D8AAAAAAADwP/0MAAAAAAAA8L8AAAAAAADwvyAJ/VIgB/0MAAAAAAAANkAAAAAAAAA2QP1J/VIhCyAGIAb98AEgCyAGIAb9SP1SIQsgGv3sASEbIBv9DAAAAAAAAPA/AAAAAAAA8D/9TCEcIBr9DAAAAAAAAAAAAAAAAAAAAAD9SiEd/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIBz9UiAb/fIB/ewBISD9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgHP1SIBv98gH9DAAAAAAAAAAAAAAAAAAAAAD9SSEh/Qz+gitlRxX3P/6CK2VHFfc//QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIBz9UiAb/fIB/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/ICH9Uv3wAf16ISL9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gIf1SICIgIP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhIv0MAAAAAAAAAAAAAAAAAAAAACAiICD9DAAAAABDLtY/AAAAAEMu1j/9Sf1SISL9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgHP1SIBv98gEgIv0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEjICL9DHY8eTXvOeo9djx5Ne856j398gEhJCAjICT98QEhLSAjIC398QEgJP3xASEl/QwAAAAAAADgPwAAAAAAAOA/IC398gEhJiAtICb98gEhJ/0MAAAAAAAA8D8AAAAAAADwPyAn/Qz0EBERERGhv/QQEREREaG/ICf9DIVV/hmgAVo/hVX+GaABWj8gJ/0Mt9uqnhnOFL+326qeGc4UvyAn/Qw5UuaGys/QPjlS5obKz9A+ICf9DC3DCW63/Yq+LcMJbrf9ir798gH98AH98gH98AH98gH98AH98gH98AH98gH98AEhKP0MAAAAAAAACEAAAAAAAAAIQCAoICb98gH98QEhKSAnICggKf3xAf0MAAAAAAAAGEAAAAAAAAAYQCAtICn98gH98QH98wH98gEhKiAtIC0gKv3yASAn/fEB/fEBISkgLSAqICX98QH98gEgJf3xASAn/fEBISogIv38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBISsgIv3tAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBISwgKf0MAAAAAAAA4D8AAAAAAADgPyAtICr98QH98gH9DAAAAAAAAOA/AAAAAAAA4D/98QH9DAAAAAAAAADAAAAAAAAAAMAgKiAt/QwAAAAAAADgPwAAAAAAAOA//fAB/fEB/fIB/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAAAAQAAAAAAAAABAIC0gKv3xAf3yAf3wASAt/QwAAAAAAADQvwAAAAAAANC//Un9Uv0MAAAAAAAA8D8AAAAAAADwPyAqIC398QH98QEgK/3yAf0MAAAAAAAA8D8AAAAAAADwP/3xAf0MAAAAAAAA8D8AAAAAAADwPyAs/fEBICogLf3xAf3xASAr/fIBIC0gKiAs/fAB/fEB/QwAAAAAAADwPwAAAAAAAPA//fABICv98gEgIv0MAAAAAAAANEAAAAAAAAA0QP1J/VIgIv0MAAAAAAAAAMAAAAAAAAAAwP1LICL9DAAAAAAAAExAAAAAAAAATED9Sv1Q/VIgIv0MAAAAAAAA8D8AAAAAAADwP/1H/VIgIv0MAAAAAAAA8L8AAAAAAADwv/1H/VIgIv0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhKf0MAAAAAAAAAEAAAAAAAAAAQCAp/e0BIBz9UiAp/QwAAAAAAAAAQAAAAAAAAABA/fAB/fMBIR79DAAAAAAAAPA/AAAAAAAA8D8gHv3xASAeIBz9UiEfIB8gH/3tASAd/VIhHyAaIB8gG/0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhHyAf/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAADwvwAAAAAAAPC/IB39UiAb/QwAAAAAAAA2QAAAAAAAADZA/Un9UiEfIBogGv3wASAfIBogGv1I/VIhHyABIANqIAv9CwQAIAEgA0EQamogH/0LBAAgA0EgaiEDDAALCwJAA0AgAyAETw0BIANBCGogBEkhBSAFBEAgACADav0ABAAhBgUgACADav0KAwAhBgsgBv3sASEHIAf9DAAAAAAAAPA/AAAAAAAA8D/9TCEIIAb9DAAAAAAAAAAAAAAAAAAAAAD9SiEJ/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/ewBIQz9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgCP1SIAf98gH9DAAAAAAAAAAAAAAAAAAAAAD9SSEN/Qz+gitlRxX3P/6CK2VHFfc//QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IA39Uv3wAf16IQ79DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gDf1SIA4gDP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhDv0MAAAAAAAAAAAAAAAAAAAAACAOIAz9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQ79DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgCP1SIAf98gEgDv0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEPIA79DHY8eTXvOeo9djx5Ne856j398gEhECAPIBD98QEhGSAPIBn98QEgEP3xASER/QwAAAAAAADgPwAAAAAAAOA/IBn98gEhEiAZIBL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAT/Qz0EBERERGhv/QQEREREaG/IBP9DIVV/hmgAVo/hVX+GaABWj8gE/0Mt9uqnhnOFL+326qeGc4UvyAT/Qw5UuaGys/QPjlS5obKz9A+IBP9DC3DCW63/Yq+LcMJbrf9ir798gH98AH98gH98AH98gH98AH98gH98AH98gH98AEhFP0MAAAAAAAACEAAAAAAAAAIQCAUIBL98gH98QEhFSATIBQgFf3xAf0MAAAAAAAAGEAAAAAAAAAYQCAZIBX98gH98QH98wH98gEhFiAZIBkgFv3yASAT/fEB/fEBIRUgGSAWIBH98QH98gEgEf3xASAT/fEBIRYgDv38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIRcgDv3tAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIRggFf0MAAAAAAAA4D8AAAAAAADgPyAZIBb98QH98gH9DAAAAAAAAOA/AAAAAAAA4D/98QH9DAAAAAAAAADAAAAAAAAAAMAgFiAZ/QwAAAAAAADgPwAAAAAAAOA//fAB/fEB/fIB/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAAAAQAAAAAAAAABAIBkgFv3xAf3yAf3wASAZ/QwAAAAAAADQvwAAAAAAANC//Un9Uv0MAAAAAAAA8D8AAAAAAADwPyAWIBn98QH98QEgF/3yAf0MAAAAAAAA8D8AAAAAAADwP/3xAf0MAAAAAAAA8D8AAAAAAADwPyAY/fEBIBYgGf3xAf3xASAX/fIBIBkgFiAY/fAB/fEB/QwAAAAAAADwPwAAAAAAAPA//fABIBf98gEgDv0MAAAAAAAANEAAAAAAAAA0QP1J/VIgDv0MAAAAAAAAAMAAAAAAAAAAwP1LIA79DAAAAAAAAExAAAAAAAAATED9Sv1Q/VIgDv0MAAAAAAAA8D8AAAAAAADwP/1H/VIgDv0MAAAAAAAA8L8AAAAAAADwv/1H/VIgDv0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhFf0MAAAAAAAAAEAAAAAAAAAAQCAV/e0BIAj9UiAV/QwAAAAAAAAAQAAAAAAAAABA/fAB/fMBIQr9DAAAAAAAAPA/AAAAAAAA8D8gCv3xASAKIAj9UiELIAsgC/3tASAJ/VIhCyAGIAsgB/0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhCyAL/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAADwvwAAAAAAAPC/IAn9UiAH/QwAAAAAAAA2QAAAAAAAADZA/Un9UiELIAYgBv3wASALIAYgBv1I/VIhCyAFBEAgASADaiAL/QsEAAUgASADaiAL/VsDAAALIANBEGohAwwACwsL2xgCA38ce0EAIQMgAkEDdCEEAkADQCADQSBqIARLDQEgACADav0ABAAhBiAAIANBEGpq/QAEACEUIAb97AEhByAG/QwAAAAAAAAAAAAAAAAAAAAA/UkhCP0M/oIrZUcV9z/+gitlRxX3PyAG/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IAj9Uv3wAf16IQn9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gCP1SIAkgB/0MAAAAALKi8D8AAAAAsqLwP/1J/VIhCf0MAAAAAAAAAAAAAAAAAAAAACAJIAf9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQkgBiAJ/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIQogCf0Mdjx5Ne856j12PHk17znqPf3yASELIAogC/3xASEMIAwgDP3yASENIAwgDf0MPlVVVVVVxT8+VVVVVVXFPyAN/QyTvb4WbMFmv5O9vhZswWa/IA39DCzeJa9qVhE/LN4lr2pWET8gDf0M8WvSxUG9u77xa9LFQb27viAN/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIQ4gDCAO/fIB/QwAAAAAAAAAQAAAAAAAAABAIA798QH98wEhD/0MAAAAAAAA8D8AAAAAAADwPyALIA/98QEgCv3xAf3xASEQIAn9DAAAAAAA6I/AAAAAAADoj8D9SSERIAn9DAAAAAAAAJBAAAAAAAAAkED9RyESIBD9DAAAAAAAAABAAAAAAAAAAEAgCf0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIAn9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAR/VIgEv1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/IBH9UiAS/VL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAP/e0BIAz98QH98QEgEyAJ/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiET/QwAAAAAAADwPwAAAAAAAPA/IAb98AEgEyAH/QwAAAAAAAAwPgAAAAAAADA+/Un9UiET/QxpVxSLCr8FQGlXFIsKvwVAIBMgBv0MAAAAAAAA8D8AAAAAAADwP/1H/VIhE/0MAAAAAAAA8H8AAAAAAADwfyATIAb9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIRP9DAAAAAAAAAAAAAAAAAAAAAAgEyAG/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiETIAYgBv3wASATIAYgBv1I/VIhEyAU/ewBIRUgFP0MAAAAAAAAAAAAAAAAAAAAAP1JIRb9DP6CK2VHFfc//oIrZUcV9z8gFP3yAf0MAAAAAAAA4L8AAAAAAADgv/0MAAAAAAAA4D8AAAAAAADgPyAW/VL98AH9eiEX/QwAAAAAAADwvwAAAAAAAPC//QwAAAAAAADwPwAAAAAAAPA/IBb9UiAXIBX9DAAAAACyovA/AAAAALKi8D/9Sf1SIRf9DAAAAAAAAAAAAAAAAAAAAAAgFyAV/QwAAAAAQy7WPwAAAABDLtY//Un9UiEXIBQgF/0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEYIBf9DHY8eTXvOeo9djx5Ne856j398gEhGSAYIBn98QEhGiAaIBr98gEhGyAaIBv9DD5VVVVVVcU/PlVVVVVVxT8gG/0Mk72+FmzBZr+Tvb4WbMFmvyAb/Qws3iWvalYRPyzeJa9qVhE/IBv9DPFr0sVBvbu+8WvSxUG9u74gG/0M0KS+cmk3Zj7QpL5yaTdmPv3yAf3wAf3yAf3wAf3yAf3wAf3yAf3wAf3yAf3xASEcIBogHP3yAf0MAAAAAAAAAEAAAAAAAAAAQCAc/fEB/fMBIR39DAAAAAAAAPA/AAAAAAAA8D8gGSAd/fEBIBj98QH98QEhHiAX/QwAAAAAAOiPwAAAAAAA6I/A/UkhHyAX/QwAAAAAAACQQAAAAAAAAJBA/UchICAe/QwAAAAAAAAAQAAAAAAAAABAIBf9DAAAAAAAQI9AAAAAAABAj0D98AH9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAX/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgH/1SICD9Uv3yAf0MAAAAAAAA4H8AAAAAAADgf/0MAAAAAAAAcAEAAAAAAABwAf0MAAAAAAAA8D8AAAAAAADwPyAf/VIgIP1S/fIBISH9DAAAAAAAAPA/AAAAAAAA8D8gHf3tASAa/fEB/fEBICEgF/0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhIf0MAAAAAAAA8D8AAAAAAADwPyAU/fABICEgFf0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhIf0MaVcUiwq/BUBpVxSLCr8FQCAhIBT9DAAAAAAAAPA/AAAAAAAA8D/9R/1SISH9DAAAAAAAAPB/AAAAAAAA8H8gISAU/QzvOfr+Qi6GQO85+v5CLoZA/Ur9UiEh/QwAAAAAAAAAAAAAAAAAAAAAICEgFP0MUTAt1RBJh8BRMC3VEEmHwP1J/VIhISAUIBT98AEgISAUIBT9SP1SISEgASADaiAT/QsEACABIANBEGpqICH9CwQAIANBIGohAwwACwsCQANAIAMgBE8NASADQQhqIARJIQUgBQRAIAAgA2r9AAQAIQYFIAAgA2r9CgMAIQYLIAb97AEhByAG/QwAAAAAAAAAAAAAAAAAAAAA/UkhCP0M/oIrZUcV9z/+gitlRxX3PyAG/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IAj9Uv3wAf16IQn9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gCP1SIAkgB/0MAAAAALKi8D8AAAAAsqLwP/1J/VIhCf0MAAAAAAAAAAAAAAAAAAAAACAJIAf9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQkgBiAJ/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIQogCf0Mdjx5Ne856j12PHk17znqPf3yASELIAogC/3xASEMIAwgDP3yASENIAwgDf0MPlVVVVVVxT8+VVVVVVXFPyAN/QyTvb4WbMFmv5O9vhZswWa/IA39DCzeJa9qVhE/LN4lr2pWET8gDf0M8WvSxUG9u77xa9LFQb27viAN/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIQ4gDCAO/fIB/QwAAAAAAAAAQAAAAAAAAABAIA798QH98wEhD/0MAAAAAAAA8D8AAAAAAADwPyALIA/98QEgCv3xAf3xASEQIAn9DAAAAAAA6I/AAAAAAADoj8D9SSERIAn9DAAAAAAAAJBAAAAAAAAAkED9RyESIBD9DAAAAAAAAABAAAAAAAAAAEAgCf0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIAn9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAR/VIgEv1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/IBH9UiAS/VL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAP/e0BIAz98QH98QEgEyAJ/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiET/QwAAAAAAADwPwAAAAAAAPA/IAb98AEgEyAH/QwAAAAAAAAwPgAAAAAAADA+/Un9UiET/QxpVxSLCr8FQGlXFIsKvwVAIBMgBv0MAAAAAAAA8D8AAAAAAADwP/1H/VIhE/0MAAAAAAAA8H8AAAAAAADwfyATIAb9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIRP9DAAAAAAAAAAAAAAAAAAAAAAgEyAG/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiETIAYgBv3wASATIAYgBv1I/VIhEyAFBEAgASADaiAT/QsEAAUgASADaiAT/VsDAAALIANBEGohAwwACwsLohoEA38CewF8HHsgAv0UIQZBACEDIAFBA3QhBAJAA0AgA0EgaiAESw0BIAAgA2r9AAQAIAb98QEhCSAAIANBEGpq/QAEACAG/fEBIRcgCf3sASEKIAn9DAAAAAAAAAAAAAAAAAAAAAD9SSEL/Qz+gitlRxX3P/6CK2VHFfc/IAn98gH9DAAAAAAAAOC/AAAAAAAA4L/9DAAAAAAAAOA/AAAAAAAA4D8gC/1S/fAB/XohDP0MAAAAAAAA8L8AAAAAAADwv/0MAAAAAAAA8D8AAAAAAADwPyAL/VIgDCAK/QwAAAAAsqLwPwAAAACyovA//Un9UiEM/QwAAAAAAAAAAAAAAAAAAAAAIAwgCv0MAAAAAEMu1j8AAAAAQy7WP/1J/VIhDCAJIAz9DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDSAM/Qx2PHk17znqPXY8eTXvOeo9/fIBIQ4gDSAO/fEBIQ8gDyAP/fIBIRAgDyAQ/Qw+VVVVVVXFPz5VVVVVVcU/IBD9DJO9vhZswWa/k72+FmzBZr8gEP0MLN4lr2pWET8s3iWvalYRPyAQ/Qzxa9LFQb27vvFr0sVBvbu+IBD9DNCkvnJpN2Y+0KS+cmk3Zj798gH98AH98gH98AH98gH98AH98gH98AH98gH98QEhESAPIBH98gH9DAAAAAAAAABAAAAAAAAAAEAgEf3xAf3zASES/QwAAAAAAADwPwAAAAAAAPA/IA4gEv3xASAN/fEB/fEBIRMgDP0MAAAAAADoj8AAAAAAAOiPwP1JIRQgDP0MAAAAAAAAkEAAAAAAAACQQP1HIRUgE/0MAAAAAAAAAEAAAAAAAAAAQCAM/QwAAAAAAECPQAAAAAAAQI9A/fAB/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgDP38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBT9UiAV/VL98gH9DAAAAAAAAOB/AAAAAAAA4H/9DAAAAAAAAHABAAAAAAAAcAH9DAAAAAAAAPA/AAAAAAAA8D8gFP1SIBX9Uv3yASEW/QwAAAAAAADwPwAAAAAAAPA/IBL97QEgD/3xAf3xASAWIAz9DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRb9DAAAAAAAAPA/AAAAAAAA8D8gCf3wASAWIAr9DAAAAAAAADA+AAAAAAAAMD79Sf1SIRb9DGlXFIsKvwVAaVcUiwq/BUAgFiAJ/QwAAAAAAADwPwAAAAAAAPA//Uf9UiEW/QwAAAAAAADwfwAAAAAAAPB/IBYgCf0M7zn6/kIuhkDvOfr+Qi6GQP1K/VIhFv0MAAAAAAAAAAAAAAAAAAAAACAWIAn9DFEwLdUQSYfAUTAt1RBJh8D9Sf1SIRYgCSAJ/fABIBYgCSAJ/Uj9UiEWIBf97AEhGCAX/QwAAAAAAAAAAAAAAAAAAAAA/UkhGf0M/oIrZUcV9z/+gitlRxX3PyAX/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IBn9Uv3wAf16IRr9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gGf1SIBogGP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhGv0MAAAAAAAAAAAAAAAAAAAAACAaIBj9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIRogFyAa/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIRsgGv0Mdjx5Ne856j12PHk17znqPf3yASEcIBsgHP3xASEdIB0gHf3yASEeIB0gHv0MPlVVVVVVxT8+VVVVVVXFPyAe/QyTvb4WbMFmv5O9vhZswWa/IB79DCzeJa9qVhE/LN4lr2pWET8gHv0M8WvSxUG9u77xa9LFQb27viAe/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIR8gHSAf/fIB/QwAAAAAAAAAQAAAAAAAAABAIB/98QH98wEhIP0MAAAAAAAA8D8AAAAAAADwPyAcICD98QEgG/3xAf3xASEhIBr9DAAAAAAA6I/AAAAAAADoj8D9SSEiIBr9DAAAAAAAAJBAAAAAAAAAkED9RyEjICH9DAAAAAAAAABAAAAAAAAAAEAgGv0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBr9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAi/VIgI/1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/ICL9UiAj/VL98gEhJP0MAAAAAAAA8D8AAAAAAADwPyAg/e0BIB398QH98QEgJCAa/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiEk/QwAAAAAAADwPwAAAAAAAPA/IBf98AEgJCAY/QwAAAAAAAAwPgAAAAAAADA+/Un9UiEk/QxpVxSLCr8FQGlXFIsKvwVAICQgF/0MAAAAAAAA8D8AAAAAAADwP/1H/VIhJP0MAAAAAAAA8H8AAAAAAADwfyAkIBf9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIST9DAAAAAAAAAAAAAAAAAAAAAAgJCAX/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiEkIBcgF/3wASAkIBcgF/1I/VIhJCAAIANqIBb9CwQAIAggFv0hAKAhCEEBBEAgCCAW/SEBoCEICyAAIANBEGpqICT9CwQAIAggJP0hAKAhCEEBBEAgCCAk/SEBoCEICyADQSBqIQMMAAsLAkADQCADIARPDQEgA0EIaiAESSEFIAUEQCAAIANq/QAEACAG/fEBIQkFIAAgA2r9CgMAIAb98QEhCQsgCf3sASEKIAn9DAAAAAAAAAAAAAAAAAAAAAD9SSEL/Qz+gitlRxX3P/6CK2VHFfc/IAn98gH9DAAAAAAAAOC/AAAAAAAA4L/9DAAAAAAAAOA/AAAAAAAA4D8gC/1S/fAB/XohDP0MAAAAAAAA8L8AAAAAAADwv/0MAAAAAAAA8D8AAAAAAADwPyAL/VIgDCAK/QwAAAAAsqLwPwAAAACyovA//Un9UiEM/QwAAAAAAAAAAAAAAAAAAAAAIAwgCv0MAAAAAEMu1j8AAAAAQy7WP/1J/VIhDCAJIAz9DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDSAM/Qx2PHk17znqPXY8eTXvOeo9/fIBIQ4gDSAO/fEBIQ8gDyAP/fIBIRAgDyAQ/Qw+VVVVVVXFPz5VVVVVVcU/IBD9DJO9vhZswWa/k72+FmzBZr8gEP0MLN4lr2pWET8s3iWvalYRPyAQ/Qzxa9LFQb27vvFr0sVBvbu+IBD9DNCkvnJpN2Y+0KS+cmk3Zj798gH98AH98gH98AH98gH98AH98gH98AH98gH98QEhESAPIBH98gH9DAAAAAAAAABAAAAAAAAAAEAgEf3xAf3zASES/QwAAAAAAADwPwAAAAAAAPA/IA4gEv3xASAN/fEB/fEBIRMgDP0MAAAAAADoj8AAAAAAAOiPwP1JIRQgDP0MAAAAAAAAkEAAAAAAAACQQP1HIRUgE/0MAAAAAAAAAEAAAAAAAAAAQCAM/QwAAAAAAECPQAAAAAAAQI9A/fAB/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgDP38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBT9UiAV/VL98gH9DAAAAAAAAOB/AAAAAAAA4H/9DAAAAAAAAHABAAAAAAAAcAH9DAAAAAAAAPA/AAAAAAAA8D8gFP1SIBX9Uv3yASEW/QwAAAAAAADwPwAAAAAAAPA/IBL97QEgD/3xAf3xASAWIAz9DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRb9DAAAAAAAAPA/AAAAAAAA8D8gCf3wASAWIAr9DAAAAAAAADA+AAAAAAAAMD79Sf1SIRb9DGlXFIsKvwVAaVcUiwq/BUAgFiAJ/QwAAAAAAADwPwAAAAAAAPA//Uf9UiEW/QwAAAAAAADwfwAAAAAAAPB/IBYgCf0M7zn6/kIuhkDvOfr+Qi6GQP1K/VIhFv0MAAAAAAAAAAAAAAAAAAAAACAWIAn9DFEwLdUQSYfAUTAt1RBJh8D9Sf1SIRYgCSAJ/fABIBYgCSAJ/Uj9UiEWIAUEQCAAIANqIBb9CwQABSAAIANqIBb9WwMAAAsgCCAW/SEAoCEIIAUEQCAIIBb9IQGgIQgLIANBEGohAwwACwsgCP0UIQdBACEDIAFBfnFBA3QhBAJAA0AgAyAETw0BIAAgA2ogACADav0ABAAgB/3zAf0LBAAgA0EQaiEDDAALCyABQQFxBEAgACADaiAAIANqKwMAIAijOQMACyAICw==";

/** What the code below needs of the WebAssembly API (typed here so lib compiles with any TypeScript lib setting). */
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** Y[j·ldy + i] += Σ_k A[i,k]·X[j·ldxj + k·ldxk]: the kernel's signature (byte offsets, then counts and strides in doubles). */
type PanelProduct = (P: number, ldp: number, ldk: number, m8: number, K: number, X: number, ldxj: number, ldxk: number, n: number, Y: number, ldy: number) => void;
/** Panels of rows of a row-major matrix (byte offsets; ld, m, K in doubles). */
type PackKernel = (M: number, ld: number, m: number, K: number, D: number) => void;
/** Adam on n values at byte offsets w, g, m, v, the gradients first multiplied by scale when clip is 1; 1 when every new weight is finite. */
type AdamKernel = (w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number, scale: number, clip: number) => number;
/** dst[i] = f(src[i]) for i < n (byte offsets): lib/math.ts's tanh or exp. */
type MapKernel = (src: number, dst: number, n: number) => void;
/** The softmax of n logits at byte offset z, in place, given their maximum m; returns the sum of the exps. */
type SoftmaxKernel = (z: number, n: number, m: number) => number;

let enabled = true;

/**
 * Switch the WebAssembly kernels off (false) or back on (true) for arenas made from now on. The numbers
 * are the same either way; tests and the bench use this to run the plain TypeScript path next to it.
 */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

let compiled: object | null | undefined; // undefined: not tried yet; null: this engine cannot (no WebAssembly, no SIMD, or a policy forbids it)

function decodeBase64(s: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let c = 0; c < clean.length; c++) {
    bits = (bits << 6) | alphabet.indexOf(clean[c]);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >> nbits) & 0xff;
    }
  }
  return out;
}

/** The compiled kernel, or null where WebAssembly SIMD is not available (the caller then uses the plain TypeScript products). */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api && KERNEL_WASM.length > 0) {
    try {
      compiled = new api.Module(decodeBase64(KERNEL_WASM));
    } catch {
      compiled = null; // an engine without SIMD, or a page whose Content-Security-Policy forbids compiling WebAssembly
    }
  }
  return compiled;
}

/**
 * A block of memory the kernel can read, with Float64Array views carved out of it, and the kernel.
 * Every array a product reads or writes must be one of its views.
 */
export interface SimdArena {
  /** a new zeroed view of n doubles (8-double aligned, so 128-bit loads never straddle) */
  view(n: number): Float64Array;
  /**
   * The kernel over views of this arena: Y[yo + j·ldy + i] += Σ_{k<K} A[i,k]·X[xo + j·ldxj + k·ldxk] for j < n,
   * i < m, where A[i,k] = A.data[A.offset + (i − i mod 8)/8 · A.ldp + k·A.ldk + i mod 8] (see Panels).
   */
  addPanelProduct(A: Panels, m: number, K: number, X: Float64Array, xo: number, ldxj: number, ldxk: number, n: number, Y: Float64Array, yo: number, ldy: number): void;
  /** the m×K row-major matrix M (row length ld) as 8-row panels in D (a view of roundUp8(m)·K doubles) */
  packPanels(M: Float64Array, mo: number, ld: number, m: number, K: number, D: Float64Array): Panels;
  /** lib/adam.ts's adamUpdate on the first n values of views w, g, m, v (each of even length ≥ n), two at a time */
  /**
   * lib/adam.ts's adamUpdate on the first n values of views w, g, m, v, two at a time; with gradScale, every
   * gradient is multiplied by it first (the training loop's clipping; g itself is not changed). Returns
   * whether every new weight is finite.
   */
  adam(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, n: number, s: { lr: number; beta1: number; beta2: number; eps: number; c1: number; c2: number }, gradScale?: number): boolean;
  /** whether a is one of this arena's views (the kernels can read and write it in place) */
  holds(a: Float64Array): boolean;
  /** how many doubles are left for views */
  room(): number;
  /** dst[dOff + i] = tanh(src[sOff + i]) for i < n, lib/math.ts's tanh two values at a time (src and dst: views; the same range is allowed) */
  tanh(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, n: number): void;
  /** dst[dOff + i] = exp(src[sOff + i]) for i < n, lib/math.ts's exp two values at a time */
  exp(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, n: number): void;
  /**
   * lib/softmax.ts's softmaxInto at temperature 1, in place on z[off .. off+n), given m = the largest of
   * those logits; returns the sum s of the e^(z − m), so the log of the normaliser is log(s) + m.
   */
  softmax(z: Float64Array, off: number, n: number, m: number): number;
}

/**
 * How the kernel finds a matrix A (m rows, K columns) in memory: for each k, 8 rows of a panel side
 * by side. Two layouts fit: packPanels's (ldk = 8, ldp = 8K), and any row-major matrix read as its own
 * TRANSPOSE (A[i,k] = M[k,i]: ldk = M's row length, ldp = 8) — no copy needed.
 */
export interface Panels {
  data: Float64Array;
  offset: number;
  ldp: number;
  ldk: number;
}

/** Every arena by its memory's buffer, so that a caller given views can find the kernels that work on them in place. */
const arenas = new WeakMap<ArrayBuffer, SimdArena>();

/** The arena all of these views belong to, or null (some are ordinary arrays, or views of different arenas). */
export function arenaHolding(views: Float64Array[]): SimdArena | null {
  if (views.length === 0) return null;
  const arena = arenas.get(views[0].buffer as ArrayBuffer);
  return arena !== undefined && views.every((v) => arena.holds(v)) ? arena : null;
}

/** m rounded up to a whole number of 8-row panels. */
export const roundUp8 = (m: number): number => (m + 7) & ~7;

/**
 * An arena of `doubles` doubles, or null where the kernel cannot run. Views are handed out in order;
 * asking for more than `doubles` in all throws (a programming error, not bad input).
 */
export function makeSimdArena(doubles: number): SimdArena | null {
  const mod = enabled ? kernelModule() : null;
  if (mod === null) return null;
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  // The memory is made at its full size and never grown: growing would detach its buffer, and once any buffer
  // has been detached V8 checks every typed-array access in the process for it, which slows all of lib.
  const memory = new api.Memory({ initial: Math.ceil((doubles * 8 + 64) / 65536) });
  const kernels = new api.Instance(mod, { js: { memory } }).exports;
  const run = kernels.addPanelProduct as PanelProduct;
  const adam = kernels.adam as AdamKernel;
  const pack = kernels.packPanels as PackKernel;
  const tanh = kernels.tanh as MapKernel;
  const exp = kernels.exp as MapKernel;
  const softmax = kernels.softmax as SoftmaxKernel;
  const buffer = memory.buffer;
  let used = 0; // in doubles
  const arena: SimdArena = {
    view(n: number): Float64Array {
      used = roundUp8(used);
      if (used + n > doubles) throw new Error(`makeSimdArena: a view of ${n} doubles does not fit (${used} of ${doubles} used)`);
      const v = new Float64Array(buffer, used * 8, n);
      used += n;
      return v;
    },
    addPanelProduct(A, m, K, X, xo, ldxj, ldxk, n, Y, yo, ldy): void {
      run(A.data.byteOffset + A.offset * 8, A.ldp, A.ldk, m, K, X.byteOffset + xo * 8, ldxj, ldxk, n, Y.byteOffset + yo * 8, ldy);
    },
    packPanels(M, mo, ld, m, K, D): Panels {
      pack(M.byteOffset + mo * 8, ld, m, K, D.byteOffset);
      return { data: D, offset: 0, ldp: 8 * K, ldk: 8 };
    },
    adam(w, g, m, v, n, s, gradScale): boolean {
      const clip = gradScale === undefined ? 0 : 1;
      return adam(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, s.lr, s.beta1, s.beta2, s.eps, s.c1, s.c2, gradScale ?? 1, clip) === 1;
    },
    holds(a: Float64Array): boolean {
      return a.buffer === buffer;
    },
    room(): number {
      return doubles - roundUp8(used);
    },
    tanh(src, sOff, dst, dOff, n): void {
      tanh(src.byteOffset + sOff * 8, dst.byteOffset + dOff * 8, n);
    },
    exp(src, sOff, dst, dOff, n): void {
      exp(src.byteOffset + sOff * 8, dst.byteOffset + dOff * 8, n);
    },
    softmax(z, off, n, m): number {
      return softmax(z.byteOffset + off * 8, n, m);
    },
  };
  arenas.set(buffer, arena);
  return arena;
}
