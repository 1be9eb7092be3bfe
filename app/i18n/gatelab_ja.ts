<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>About</name>
    <message>
        <source>unknown (not installed)</source>
        <translation>不明（インストールされていません）</translation>
    </message>
    <message>
        <source>not installed (the compiled engine needs it)</source>
        <translation>未インストール（コンパイル版エンジンに必要）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>GateLab {version}</source>
        <translation>GateLab {version}</translation>
    </message>
    <message>
        <source>Python {version}</source>
        <translation>Python {version}</translation>
    </message>
    <message>
        <source>Qt {version}</source>
        <translation>Qt {version}</translation>
    </message>
    <message>
        <source>PySide6 {version}</source>
        <translation>PySide6 {version}</translation>
    </message>
    <message>
        <source>pyqtgraph {version}</source>
        <translation>pyqtgraph {version}</translation>
    </message>
    <message>
        <source>numpy {version}</source>
        <translation>NumPy {version}</translation>
    </message>
    <message>
        <source>numba {version}</source>
        <translation>numba {version}</translation>
    </message>
    <message>
        <source>OpenGL renderer: {renderer}</source>
        <translation>OpenGL レンダラ：{renderer}</translation>
    </message>
    <message>
        <source>Platform: {platform}</source>
        <translation>プラットフォーム：{platform}</translation>
    </message>
    <message>
        <source>About GateLab</source>
        <translation>GateLab について</translation>
    </message>
    <message>
        <source>GateLab: watch a small neural network learn a logic gate.</source>
        <translation>GateLab：小さなニューラルネットワークが論理ゲートを学習するようすを見る。</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>Copy these versions to the clipboard</source>
        <translation>これらのバージョンをクリップボードにコピーします</translation>
    </message>
</context>
<context>
    <name>AtlasView</name>
    <message>
        <source>The seed atlas trains seeds 0 to K−1 at the current settings as one stacked computation. Each cell is one seed: green if it learned the gate, red if it failed, dark purple if it diverged. The chart gives the share of the same seeds solved with 1 to 8 units in each hidden layer. Click a cell to load that seed into the single run and watch it learn, or fail, again.</source>
        <translation>シード一覧は、シード 0〜K−1 を現在の設定で、1 つに積み重ねた計算として学習します。セル 1 つが 1 つのシードで、ゲートを学習できれば緑、失敗すれば赤、発散すれば濃い紫です。グラフは、同じシードのうち、各隠れ層のユニット数を 1〜8 にしたときに解けた割合です。セルをクリックするとそのシードを「1 つの学習」に読み込み、もう一度学習する（あるいは失敗する）ようすを見られます。</translation>
    </message>
    <message>
        <source>Train seeds 0 to K−1 at the current settings, all at once (K from {low} to {high})</source>
        <translation>シード 0〜K−1 を現在の設定でまとめて学習します（K は {low}〜{high}）</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>シード数</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>Stop the atlas; what it has found so far stays</source>
        <translation>シード一覧の学習を止めます。ここまでの結果は残ります</translation>
    </message>
    <message>
        <source>Colour by final loss</source>
        <translation>最終損失で色分け</translation>
    </message>
    <message>
        <source>Each cell coloured by its seed&apos;s final cross-entropy instead of solved or failed</source>
        <translation>各セルを、解けたかどうかではなく、そのシードの最終的な交差エントロピー誤差で色分けします</translation>
    </message>
    <message>
        <source>units in each hidden layer</source>
        <translation>各隠れ層のユニット数</translation>
    </message>
    <message>
        <source>seeds solved (%)</source>
        <translation>解けたシード（%）</translation>
    </message>
    <message>
        <source>Success rate against width, the same seeds</source>
        <translation>層の幅ごとの成功率（同じシード）</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未開始</translation>
    </message>
    <message>
        <source>Seeds 0 to {last}: press Start to train them all at once</source>
        <translation>シード 0〜{last}：開始を押すとまとめて学習します</translation>
    </message>
    <message>
        <source>Every seed is one cell. Afterwards, hover over a cell to see its seed, and click it to replay that seed in the single run.</source>
        <translation>1 つのシードが 1 つのセルです。学習後は、セルにマウスを重ねるとそのシードがわかり、クリックするとそのシードを「1 つの学習」でもう一度学習できます。</translation>
    </message>
    <message>
        <source>Done in {time}</source>
        <translation>{time} で完了</translation>
    </message>
    <message>
        <source>Stopped at {percent}%</source>
        <translation>{percent}% で停止</translation>
    </message>
    <message>
        <source>{percent}% · estimating the time left…</source>
        <translation>{percent}% · 残り時間を見積もり中…</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>{percent}% · about {time} left</source>
        <translation>{percent}% · 残り約 {time}</translation>
    </message>
    <message>
        <source>{solved} of {seeds} seeds solved ({percent}%)</source>
        <translation>{seeds} 個中 {solved} 個のシードが解けました（{percent}%）</translation>
    </message>
    <message>
        <source>, {diverged} diverged</source>
        <translation>、{diverged} 発散</translation>
    </message>
    <message>
        <source>Step {step} of {total}: {solved} of {seeds} seeds solved so far</source>
        <translation>ステップ {step} / {total}：ここまでに {seeds} 個中 {solved} 個のシードが解けました</translation>
    </message>
    <message>
        <source>{gate} with {method}, {hidden} hidden, {optimizer}, learning rate {lr}, {steps} steps each.</source>
        <translation>{gate}・{method}・隠れ層 {hidden}・{optimizer}・学習率 {lr}、各シード {steps} ステップ。</translation>
    </message>
    <message>
        <source>Now the width series: {width} units a hidden layer…</source>
        <translation>続いて層の幅ごとの学習：各隠れ層 {width} ユニット…</translation>
    </message>
    <message>
        <source>Click a cell to replay its seed in the single run.</source>
        <translation>セルをクリックすると、そのシードを「1 つの学習」でもう一度学習できます。</translation>
    </message>
    <message>
        <source>seed {seed}: not trained yet</source>
        <translation>シード {seed}：まだ学習していません</translation>
    </message>
    <message>
        <source>seed {seed}: solved by step {step}, final loss {loss}</source>
        <translation>シード {seed}：ステップ {step} で解けた、最終損失 {loss}</translation>
    </message>
    <message>
        <source>seed {seed}: diverged, its update stopped being finite</source>
        <translation>シード {seed}：発散（更新が有限の値でなくなった）</translation>
    </message>
    <message>
        <source>seed {seed}: failed, final loss {loss}</source>
        <translation>シード {seed}：解けなかった、最終損失 {loss}</translation>
    </message>
    <message>
        <source>Click to replay this seed in the single run</source>
        <translation>クリックすると、このシードを「1 つの学習」でもう一度学習します</translation>
    </message>
    <message>
        <source>seed {seed}: solved at step {step}</source>
        <translation>シード {seed}：ステップ {step} の時点で解けている</translation>
    </message>
    <message>
        <source>seed {seed}: not solved yet</source>
        <translation>シード {seed}：まだ解けていない</translation>
    </message>
    <message>
        <source>final loss: {low} 0.0001 … 1 {high}</source>
        <translation>最終損失：{low} 0.0001 … 1 {high}</translation>
    </message>
    <message>
        <source>{solved} solved {failed} failed {diverged} diverged</source>
        <translation>{solved} 解けた {failed} 解けなかった {diverged} 発散</translation>
    </message>
    <message>
        <source>{solved} solved {failed} failed</source>
        <translation>{solved} 解けた {failed} 解けなかった</translation>
    </message>
    <message>
        <source>{solved} solved {open} not solved yet</source>
        <translation>{solved} 解けた {open} まだ解けていない</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Locked while a run is under way: Reset to change.</source>
        <translation>学習中は変更できません。変更するにはリセットしてください。</translation>
    </message>
    <message>
        <source>{title}
{equation}
Cost: {cost}</source>
        <translation>{title}
{equation}
計算量：{cost}</translation>
    </message>
    <message>
        <source>Weight decay λ: the loss gains λ/2 Σ W² over the weights (not the biases),
so each step also pulls every weight towards 0 by lr · λ · W.
The book&apos;s weight_decay_lambda (common/multi_layer_net.py).</source>
        <translation>荷重減衰 λ：損失関数に重み（バイアスは除く）の λ/2 Σ W² を加えます。
そのため各ステップで、すべての重みが lr · λ · W だけ 0 に引き寄せられます。
本の weight_decay_lambda（common/multi_layer_net.py）。</translation>
    </message>
    <message>
        <source>{title} (hidden layers; the output unit is always a sigmoid)</source>
        <translation>{title}（隠れ層。出力層はつねにシグモイド関数）</translation>
    </message>
    <message>
        <source>{formula}, biases 0; n_in: the layer&apos;s inputs</source>
        <translation>{formula}、バイアスは 0。n_in：その層への入力の数</translation>
    </message>
    <message>
        <source>{title}
{rule}
The book&apos;s common/optimizer.py {call}; here η is the learning rate above</source>
        <translation>{title}
{rule}
本の common/optimizer.py の {call}。η は上の学習率です</translation>
    </message>
    <message>
        <source>{help}. The book&apos;s {call}.</source>
        <translation>{help}。本の {call}。</translation>
    </message>
    <message>
        <source>Network and run</source>
        <translation>ネットワークと学習</translation>
    </message>
    <message>
        <source>targets for rows 00, 01, 10, 11: {bits}</source>
        <translation>行 00, 01, 10, 11 の正解：{bits}</translation>
    </message>
    <message>
        <source>Not available: {reason}</source>
        <translation>使えません：{reason}</translation>
    </message>
    <message>
        <source>Hidden layers: the units in each, input side first (the book&apos;s hidden_size_list in common/multi_layer_net.py)</source>
        <translation>隠れ層：各層のユニット数を入力側から（本の common/multi_layer_net.py の hidden_size_list）</translation>
    </message>
    <message>
        <source>Learning rate: each step does p -= lr · dL/dp (arrows: ×10 / ÷10; 1e-10 is read as typed)</source>
        <translation>学習率：各ステップで p -= lr · dL/dp と更新します（矢印：×10 / ÷10。1e-10 は入力したとおりに読みます）</translation>
    </message>
    <message>
        <source>Finite-difference step h (arrows: ×10 / ÷10). Too small and rounding error swamps L(p+h) − L(p), worst for the forward difference; backprop ignores h.</source>
        <translation>数値微分の微小な差 h（矢印：×10 / ÷10）。小さすぎると丸め誤差が L(p+h) − L(p) を覆い隠します。前方差分でいちばん目立ちます。誤差逆伝播法（backprop）は h を使いません。</translation>
    </message>
    <message>
        <source>Initialisation seed: the same seed is the same starting network in every method</source>
        <translation>重みの初期値のシード：同じシードなら、どの計算方法でも同じネットワークから始まります</translation>
    </message>
    <message>
        <source>Training steps in a run (arrows: ± 1,000)</source>
        <translation>1 回の学習のステップ数（矢印：± 1,000）</translation>
    </message>
    <message>
        <source>About 30 redraws a second by the clock: drawing barely slows training</source>
        <translation>時計で毎秒約 30 回描き直します。描画で学習はほとんど遅くなりません</translation>
    </message>
    <message>
        <source>every N steps</source>
        <translation>N ステップごと</translation>
    </message>
    <message>
        <source>After every N steps, waiting for each drawing, as the seed&apos;s program did: at N = 1 you see what drawing costs</source>
        <translation>N ステップごとに、描画が終わるのを待って描き直します（元のプログラムと同じ）。N = 1 にすると描画の代償が見えます</translation>
    </message>
    <message>
        <source>How often the surface is redrawn. &quot;every N steps&quot; waits for each drawing, as the seed&apos;s program did: at N = 1 you see what drawing costs.</source>
        <translation>曲面を描き直す頻度。「N ステップごと」は元のプログラムと同じく描画が終わるのを待ちます。N = 1 にすると描画の代償が見えます。</translation>
    </message>
    <message>
        <source>N: redraw the surface after every N steps</source>
        <translation>N：N ステップごとに曲面を描き直します</translation>
    </message>
    <message>
        <source>Stop when solved</source>
        <translation>解けたら停止</translation>
    </message>
    <message>
        <source>End the run at the first step where every output is within 0.1 of its target, instead of training all the steps</source>
        <translation>すべての出力が正解から 0.1 以内になった最初のステップで、残りのステップを待たずに学習を終えます</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Train to the configured steps (Space)</source>
        <translation>設定したステップ数まで学習します（Space）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Pause or resume (Space)</source>
        <translation>一時停止・再開（Space）</translation>
    </message>
    <message>
        <source>Step ×</source>
        <translation>ステップ ×</translation>
    </message>
    <message>
        <source>Train exactly the number of steps in the box beside</source>
        <translation>隣の欄に書いた数だけステップを学習します</translation>
    </message>
    <message>
        <source>Steps that Step trains</source>
        <translation>「ステップ」ボタンで学習するステップ数</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>Back to the seeded network, with the settings above (Ctrl+R)</source>
        <translation>上の設定で、シードから作った最初のネットワークに戻します（Ctrl+R）</translation>
    </message>
    <message>
        <source>Chapter 6</source>
        <translation>6 章</translation>
    </message>
    <message>
        <source>Show or hide the book&apos;s chapter 6 choices: activation, initialisation, optimizer and weight decay</source>
        <translation>本の 6 章の選択肢（活性化関数、重みの初期値、最適化手法、荷重減衰）を表示・非表示にします</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>重みの初期値</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <source>Weight decay λ</source>
        <translation>荷重減衰 λ</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>論理ゲート</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>勾配の計算</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>エンジン</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隠れ層</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>ステップ数</translation>
    </message>
    <message>
        <source>Surface</source>
        <translation>曲面の更新</translation>
    </message>
    <message>
        <source>N (steps)</source>
        <translation>N（ステップ）</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>The logic gate the network learns (or click a target in the truth table)</source>
        <translation>ネットワークが学習する論理ゲート（真理値表の正解をクリックしても変えられます）</translation>
    </message>
    <message>
        <source>{activation}, {init} init, {optimizer}, λ {decay}</source>
        <translation>{activation}、初期値 {init}、{optimizer}、λ {decay}</translation>
    </message>
    <message>
        <source>{activation}, {init} init, {optimizer}</source>
        <translation>{activation}、初期値 {init}、{optimizer}</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <source>Link Axis:</source>
        <translation>軸をリンク：</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手動</translation>
    </message>
    <message>
        <source>Invert Axis</source>
        <translation>軸を反転</translation>
    </message>
    <message>
        <source>Mouse Enabled</source>
        <translation>マウス操作を有効に</translation>
    </message>
    <message>
        <source>Visible Data Only</source>
        <translation>表示中のデータのみ</translation>
    </message>
    <message>
        <source>Auto Pan Only</source>
        <translation>自動で移動のみ</translation>
    </message>
</context>
<context>
    <name>GatesView</name>
    <message>
        <source>Each truth-table row x1 x2, the network&apos;s output there, and ✓ when it is within {tolerance} of the target</source>
        <translation>真理値表の各行の入力 x1 x2、そこでのネットワークの出力、出力が正解から {tolerance} 以内なら ✓</translation>
    </message>
    <message>
        <source>The time of one step of all the gates&apos; networks, trained as one stacked computation, and of one network trained alone with the same settings (compute time only, as train measures it)</source>
        <translation>すべてのゲートのネットワークを 1 つに積み重ねた計算として学習したときの 1 ステップの時間と、同じ設定でネットワーク 1 つだけを学習したときの 1 ステップの時間（計算時間のみ。`nn_core train` と同じ測り方）</translation>
    </message>
    <message>
        <source>{one} target 1 {zero} target 0</source>
        <translation>{one} 正解 1 {zero} 正解 0</translation>
    </message>
    <message>
        <source>{gate} ({bits})</source>
        <translation>{gate}（{bits}）</translation>
    </message>
    <message>
        <source>diverged at step {step}</source>
        <translation>ステップ {step} で発散</translation>
    </message>
    <message>
        <source>loss {loss} · step {step} · solved ✓</source>
        <translation>損失 {loss} · ステップ {step} · 解けた ✓</translation>
    </message>
    <message>
        <source>loss {loss} · step {step}</source>
        <translation>損失 {loss} · ステップ {step}</translation>
    </message>
    <message>
        <source>{count} networks: {us_stack} µs per step · one network: {us_one} µs per step</source>
        <translation>ネットワーク {count} 個：{us_stack} µs/ステップ · ネットワーク 1 個：{us_one} µs/ステップ</translation>
    </message>
</context>
<context>
    <name>GradientCheckView</name>
    <message>
        <source>parameter</source>
        <translation>パラメータ</translation>
    </message>
    <message>
        <source>value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>dL/dp</source>
        <translation>dL/dp</translation>
    </message>
    <message>
        <source>Backprop&apos;s gradient: the loss&apos;s derivative with respect to this parameter, by the chain rule</source>
        <translation>誤差逆伝播法（backprop）の勾配：このパラメータについての損失の微分を連鎖律で求めたもの</translation>
    </message>
    <message>
        <source>{title} ({method}) against backprop, for this parameter: |g − g_backprop| / max(|g|, |g_backprop|); bold: the largest in the column</source>
        <translation>{title}（{method}）の backprop に対する相対誤差（このパラメータ）：|g − g_backprop| / max(|g|, |g_backprop|)。太字はその列の最大値</translation>
    </message>
    <message>
        <source>h (the finite-difference step)</source>
        <translation>h（差分の刻み幅）</translation>
    </message>
    <message>
        <source>h = {h}, the book&apos;s</source>
        <translation>h = {h}（本の値）</translation>
    </message>
    <message>
        <source>h = {h}, this run&apos;s</source>
        <translation>h = {h}（この学習の値）</translation>
    </message>
    <message>
        <source>norm-wise relative error</source>
        <translation>ノルムでの相対誤差</translation>
    </message>
    <message>
        <source>Each difference formula has two errors. Truncation: the formula is only a Taylor approximation, off by about h (forward) or h² (central), so the error falls as h shrinks: slope 1 or 2 on these axes. Rounding: L(p+h) − L(p) subtracts two nearly equal losses, each rounded to about 1e-16, and divides by h, so that error grows as 1/h: slope −1. Central&apos;s two errors meet near h ≈ 1e-5; the book&apos;s h = 1e-4 sits just above, where truncation is already tiny and rounding cannot grow.</source>
        <translation>差分の式には 2 つの誤差がある。打ち切り誤差：式はテイラー展開の近似にすぎず、h（前方差分）または h²（中心差分）ほどずれるので、h を小さくすると誤差は減る（この軸で傾き 1 または 2）。丸め誤差：L(p+h) − L(p) はほぼ等しい 2 つの損失（それぞれ約 1e-16 の精度に丸められる）の引き算を h で割るので、この誤差は 1/h に比例して増える（傾き −1）。中心差分の 2 つの誤差は h ≈ 1e-5 付近で交わる。本の h = 1e-4 はそのすぐ上にあり、打ち切り誤差はもう十分小さく、丸め誤差も増えない。</translation>
    </message>
    <message>
        <source>The norm-wise relative error against backprop: ‖g − g_backprop‖ / max(‖g‖, ‖g_backprop‖) over all the parameters</source>
        <translation>backprop に対するノルムでの相対誤差：全パラメータについての ‖g − g_backprop‖ / max(‖g‖, ‖g_backprop‖)</translation>
    </message>
    <message>
        <source>rounding</source>
        <translation>丸め誤差</translation>
    </message>
    <message>
        <source>truncation</source>
        <translation>打ち切り誤差</translation>
    </message>
    <message>
        <source>Rounding error wins at tiny h: it grows as 1/h (slope −1)</source>
        <translation>h がごく小さいと丸め誤差が勝つ：1/h に比例して増える（傾き −1）</translation>
    </message>
    <message>
        <source>Truncation error wins at large h: it falls as h (forward, slope 1) or h² (central, slope 2)</source>
        <translation>h が大きいと打ち切り誤差が勝つ：h（前方差分、傾き 1）または h²（中心差分、傾き 2）に比例して減る</translation>
    </message>
    <message>
        <source>Computing the error against h…</source>
        <translation>h に対する誤差を計算中…</translation>
    </message>
    <message>
        <source>max rel.</source>
        <translation>最大相対</translation>
    </message>
    <message>
        <source>norm-wise</source>
        <translation>ノルム</translation>
    </message>
    <message>
        <source>Largest relative error: the worst single parameter. Large when one component of the gradient is near 0, although the gradient as a whole is right</source>
        <translation>最大の相対誤差：いちばん悪いパラメータ 1 つの値。勾配全体は正しくても、ある成分が 0 に近いと大きくなる</translation>
    </message>
    <message>
        <source>Norm-wise relative error: ‖g − g_backprop‖ / max(‖g‖, ‖g_backprop‖) over all the parameters, how far the whole gradient is off</source>
        <translation>ノルムでの相対誤差：全パラメータについての ‖g − g_backprop‖ / max(‖g‖, ‖g_backprop‖)。勾配全体がどれだけずれているか</translation>
    </message>
    <message>
        <source>Each method&apos;s gradient against backprop&apos;s (the chain rule&apos;s, exact to rounding), at this network&apos;s parameters and the run&apos;s h</source>
        <translation>各手法の勾配を backprop の勾配（連鎖律によるもので、丸め誤差の範囲で正確）と比べる。このネットワークのパラメータと、この学習の h で</translation>
    </message>
    <message>
        <source>Per parameter: backprop&apos;s dL/dp and each method&apos;s relative error against it (bold: the largest of its column). Click a column&apos;s header to sort by it</source>
        <translation>パラメータごと：backprop の dL/dp と、それに対する各手法の相対誤差（太字はその列の最大値）。列の見出しをクリックすると並べ替え</translation>
    </message>
    <message>
        <source>Small h: rounding grows as 1/h. Large h: truncation grows as h or h². (Hover for more.)</source>
        <translation>h が小さいと丸め誤差が 1/h で増え、大きいと打ち切り誤差が h または h² で増える（詳しくはマウスを重ねて）</translation>
    </message>
    <message>
        <source>No network yet: start or load a run</source>
        <translation>まだネットワークがありません：学習を始めるか、保存した学習を開いてください</translation>
    </message>
    <message>
        <source>The gradient check: every numerical method&apos;s gradient of the loss against backprop&apos;s, at the network shown (live while it trains, or the replayed step), for the whole gradient and parameter by parameter; and, on the right, how the error of forward and central differences depends on h, from 1e-12 to 0.1. The same numbers as the command line&apos;s gradient check prints.</source>
        <translation>勾配確認：表示中のネットワーク（学習中はその時点、再生中はそのステップ）で、各数値微分の手法による損失の勾配を backprop の勾配と比べる。勾配全体とパラメータごと。あわせて、前方差分と中心差分の誤差が h（1e-12 から 0.1）によってどう変わるかを示す。コマンドラインの勾配確認と同じ数値。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>計算中…</translation>
    </message>
    <message>
        <source>{gate} · hidden units {hidden} · step {step} · loss {loss} · h {h}</source>
        <translation>{gate}・隠れ層 {hidden}・ステップ {step}・損失 {loss}・h {h}</translation>
    </message>
    <message>
        <source>This network has diverged: its parameters or its loss are not finite numbers, so there is no gradient to check (shown as —).</source>
        <translation>このネットワークは発散しました：パラメータか損失が有限の数ではないため、確認する勾配がありません（— と表示）。</translation>
    </message>
    <message>
        <source>The gradient check could not be computed: {reason}</source>
        <translation>勾配確認を計算できませんでした：{reason}</translation>
    </message>
    <message>
        <source>Some numbers overflow at these parameters and are shown as —.</source>
        <translation>このパラメータではオーバーフローする数値があり、— と表示しています。</translation>
    </message>
    <message>
        <source>{mark} {method} {truncation} / {rounding}</source>
        <translation>{mark} {method} {truncation} / {rounding}</translation>
    </message>
    <message>
        <source>{method}: slope {truncation} where truncation wins, {rounding} where rounding wins</source>
        <translation>{method}：打ち切り誤差が勝つ範囲で傾き {truncation}、丸め誤差が勝つ範囲で {rounding}</translation>
    </message>
    <message>
        <source>Slopes, truncation / rounding: {curves}</source>
        <translation>傾き（打ち切り / 丸め）：{curves}</translation>
    </message>
</context>
<context>
    <name>GraphicsScene</name>
    <message>
        <source>Export...</source>
        <translation>エクスポート...</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <source>&lt;b&gt;Network and run&lt;/b&gt;: the logic gate to learn, how the gradient is computed (numerical differentiation or backpropagation), the hidden layers, the learning rate, h, the seed and the steps of a run. &lt;b&gt;Chapter 6&lt;/b&gt; holds the activation function, the initial weights, the optimizer and weight decay. Start, Pause, Step × N and Reset drive the run.</source>
        <translation>&lt;b&gt;ネットワークと学習&lt;/b&gt;：学習する論理ゲート、勾配の計算方法（数値微分または誤差逆伝播法）、隠れ層、学習率、h、シード、1 回の学習のステップ数。&lt;b&gt;6 章&lt;/b&gt;には活性化関数、重みの初期値、最適化手法、荷重減衰があります。開始、一時停止、ステップ × N、リセットで学習を操作します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Truth table&lt;/b&gt;: the four input rows, their targets, the network&apos;s output and ✓ when it is within 0.1 of its target. Click a target to flip it and learn another function.</source>
        <translation>&lt;b&gt;真理値表&lt;/b&gt;：4 つの入力行、その正解、ネットワークの出力、出力が正解から 0.1 以内なら ✓。正解をクリックすると 0 と 1 が入れ替わり、別の関数を学習できます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;3D surface&lt;/b&gt;: the network&apos;s output y over the unit square (x1, x2), coloured by height; the markers are the targets. Drag to rotate, scroll to zoom, double-click to frame the scene again.</source>
        <translation>&lt;b&gt;3D 曲面&lt;/b&gt;：単位正方形 (x1, x2) 上のネットワークの出力 y。高さで色分けしています。マーカーは正解です。ドラッグで回転、スクロールで拡大縮小、ダブルクリックで全体を表示し直します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Loss curve&lt;/b&gt;: the loss (binary cross-entropy over the four rows) against the step, on a log scale. Zoom with the mouse; the &quot;A&quot; button follows the run again.</source>
        <translation>&lt;b&gt;損失のグラフ&lt;/b&gt;：損失関数（4 行の交差エントロピー誤差）の値をステップごとに対数目盛で示します。マウスで拡大でき、「A」ボタンで学習の追跡に戻ります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Timing&lt;/b&gt;: elapsed time, steps per second, compute µs/step (gradient and update only), wall µs/step (drawing included) and the share of the time spent drawing: the seed&apos;s experiment, live.</source>
        <translation>&lt;b&gt;計測&lt;/b&gt;：経過時間、毎秒ステップ数、計算 µs/ステップ（勾配の計算と更新のみ）、実時間 µs/ステップ（描画込み）、描画に使った時間の割合。元になった実験をその場で再現します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Finished runs&lt;/b&gt;: one row per run, to compare methods and settings. Click a header to sort; right-click to copy the table as CSV or Markdown.</source>
        <translation>&lt;b&gt;終了した学習&lt;/b&gt;：学習 1 回につき 1 行。計算方法や設定を比べられます。見出しをクリックで並べ替え、右クリックで表を CSV や Markdown としてコピーできます。</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>GateLab guide</source>
        <translation>GateLab ガイド</translation>
    </message>
</context>
<context>
    <name>LandscapeView</name>
    <message>
        <source>α (d1)</source>
        <translation>α (d1)</translation>
    </message>
    <message>
        <source>β (d2)</source>
        <translation>β (d2)</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>損失（対数目盛）</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>ステップ {step}</translation>
    </message>
    <message>
        <source>now, step {step}</source>
        <translation>現在、ステップ {step}</translation>
    </message>
    <message>
        <source>trajectory PCA</source>
        <translation>軌跡の主成分分析</translation>
    </message>
    <message>
        <source>random (filter-normalised)</source>
        <translation>ランダム（フィルタ正規化）</translation>
    </message>
    <message>
        <source>The plane&apos;s two directions: the first two principal directions of the path so far (Li et al. 2018, section 7), or two random directions scaled unit by unit to the network&apos;s weights (filter normalisation, Li et al. 2018, section 4)</source>
        <translation>平面を張る 2 つの方向：
・ここまでの軌跡の第 1、第 2 主成分の方向（リーら 2018 年の論文の 7 節）
・ネットワークの重みに合わせてユニットごとに大きさをそろえた 2 つのランダムな方向（フィルタ正規化、同じ論文の 4 節）</translation>
    </message>
    <message>
        <source>{n} × {n}</source>
        <translation>{n} × {n}</translation>
    </message>
    <message>
        <source>Grid points a side: every one is a network whose loss is computed, all in one batched forward pass</source>
        <translation>格子の 1 辺の点の数：各点が 1 つのネットワークで、その損失をすべて 1 回の一括した順伝播で計算します</translation>
    </message>
    <message>
        <source>Directions:</source>
        <translation>方向：</translation>
    </message>
    <message>
        <source>Grid:</source>
        <translation>格子：</translation>
    </message>
    <message>
        <source>Height and colour: the loss (cross-entropy, without weight decay) at θ + α·d1 + β·d2, θ the network now, on a log scale. The path&apos;s points are drawn at the loss where they project onto the plane, so they lie on the surface. The colour scale reaches at most {decades} decades below the path&apos;s lowest loss: where the loss is lower still, the surface lies flat on the floor.</source>
        <translation>高さと色：損失 L(θ+α·d1+β·d2) を対数目盛で示します（交差エントロピー誤差、荷重減衰は含みません。θ は現在のネットワーク）。軌跡の点は平面に射影した位置での損失の高さに描くので、曲面の上に乗ります。色の目盛は軌跡の最小の損失から最大 {decades} 桁下までです。損失がそれより小さいところでは、曲面は底に平らに張りつきます。</translation>
    </message>
    <message>
        <source>The loss landscape shows once a network is given.</source>
        <translation>ネットワークが与えられると損失の地形を表示します。</translation>
    </message>
    <message>
        <source>Step {step}: the network&apos;s parameters are not finite (it diverged), so there is no landscape to draw.</source>
        <translation>ステップ {step}：ネットワークのパラメータが有限の値ではない（発散した）ため、描く地形がありません。</translation>
    </message>
    <message>
        <source>Step {step}: the loss landscape cannot be computed for this network and its path.</source>
        <translation>ステップ {step}：このネットワークとその軌跡では、損失の地形を計算できません。</translation>
    </message>
    <message>
        <source>Loss {loss:.4g} at step {step}.</source>
        <translation>ステップ {step} で損失 {loss:.4g}。</translation>
    </message>
    <message>
        <source>Directions: the path&apos;s first two principal directions, which explain {share:.1%} of its variance.</source>
        <translation>方向：軌跡の第 1、第 2 主成分（分散の {share:.1%} を説明）。</translation>
    </message>
    <message>
        <source>Directions: random, filter-normalised (the path has fewer than 3 kept steps, too few for its principal directions).</source>
        <translation>方向：ランダム、フィルタ正規化（軌跡に記録したステップが 3 つ未満で、主成分を求めるには少なすぎます）。</translation>
    </message>
    <message>
        <source>Directions: random, filter-normalised (the path lies on a line, so it has no second principal direction).</source>
        <translation>方向：ランダム、フィルタ正規化（軌跡が直線上にあり、第 2 主成分の方向がありません）。</translation>
    </message>
    <message>
        <source>Directions: random, filter-normalised.</source>
        <translation>方向：ランダム、フィルタ正規化。</translation>
    </message>
    <message>
        <source>{points} networks in one batched pass, {ms:.1f} ms.</source>
        <translation>ネットワーク {points} 個を一括で計算、{ms:.1f} ms。</translation>
    </message>
    <message>
        <source>A grid of {n} × {n} for a network this large, so that the window keeps answering.</source>
        <translation>このネットワークは大きいので、ウィンドウが応答し続けるよう格子を {n} × {n} にしています。</translation>
    </message>
</context>
<context>
    <name>Lens</name>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>The network&apos;s output over the unit square, as a 3D surface</source>
        <translation>単位正方形上のネットワークの出力を 3D 曲面で表示します</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>隠れ層のユニット</translation>
    </message>
    <message>
        <source>Every unit&apos;s output over the unit square, named by the gate it computes, and the network&apos;s diagram with its weights and biases</source>
        <translation>各ユニットの単位正方形上の出力（そのユニットが計算しているゲートの名前つき）と、重みとバイアスを描いたネットワークの図</translation>
    </message>
    <message>
        <source>Gradient check</source>
        <translation>勾配確認</translation>
    </message>
    <message>
        <source>Every method&apos;s gradient against backprop at the present parameters, and its error against h from 1e-12 to 0.1</source>
        <translation>現在のパラメータでの各計算方法の勾配を誤差逆伝播法（backprop）の勾配と比べ、h を 1e-12 から 0.1 まで変えたときの誤差を示します</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>損失の地形</translation>
    </message>
    <message>
        <source>The loss over a plane through the present parameters, with the path of training projected onto it</source>
        <translation>現在のパラメータを通る平面上の損失と、その平面に射影した学習の軌跡</translation>
    </message>
</context>
<context>
    <name>LossCurve</name>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>GateLab — watch a network learn a logic gate</source>
        <translation>GateLab — ニューラルネットワークが論理ゲートを学習するようすを見る</translation>
    </message>
    <message>
        <source>Single run</source>
        <translation>1 つの学習</translation>
    </message>
    <message>
        <source>One run: the 3D surface, the loss curve, the truth table and the timing</source>
        <translation>1 つの学習：3D 曲面、損失のグラフ、真理値表、計測</translation>
    </message>
    <message>
        <source>Race the methods</source>
        <translation>勾配の計算方法を競走</translation>
    </message>
    <message>
        <source>Every gradient method from the same seed and settings, side by side, each at its true speed</source>
        <translation>勾配のすべての計算方法を同じシードと設定から並べて走らせます。それぞれ本来の速さで進みます</translation>
    </message>
    <message>
        <source>All gates</source>
        <translation>すべてのゲート</translation>
    </message>
    <message>
        <source>The six gates from the same seed and settings, trained as one stacked computation</source>
        <translation>6 つのゲートを同じシードと設定から、1 つに積み重ねた計算として学習します</translation>
    </message>
    <message>
        <source>Pace</source>
        <translation>ペース</translation>
    </message>
    <message>
        <source>Start/Pause</source>
        <translation>開始/一時停止</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>視点をリセット</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>GateLab: training failed</source>
        <translation>GateLab：学習に失敗しました</translation>
    </message>
    <message>
        <source>Training stopped with an error:

{message}

The network was reset to its seed.</source>
        <translation>エラーで学習が止まりました：

{message}

ネットワークはシードから作った最初の状態に戻しました。</translation>
    </message>
    <message>
        <source>Seed atlas</source>
        <translation>シード一覧</translation>
    </message>
    <message>
        <source>Seeds 0 to K−1 at the same settings, trained as one stacked computation: which of them learn the gate, and how that changes with the width</source>
        <translation>シード 0〜K−1 を同じ設定から、1 つに積み重ねた計算として学習します。どのシードがゲートを学習できるか、それが層の幅でどう変わるかがわかります</translation>
    </message>
    <message>
        <source>Loaded from the atlas: {outcome}. Press Start to replay it.</source>
        <translation>シード一覧から読み込みました：{outcome}。開始を押すともう一度学習します。</translation>
    </message>
    <message>
        <source>The runs stopped with an error:

{message}

Nothing else changed; Start tries again.</source>
        <translation>学習がエラーで止まりました：

{message}

ほかは何も変わっていません。開始でもう一度試せます。</translation>
    </message>
    <message>
        <source>{status} — 3D view off: {reason}</source>
        <translation>{status} — 3D 表示なし：{reason}</translation>
    </message>
    <message>
        <source>{gate} with {method}, {hidden} hidden</source>
        <translation>{gate}・{method}・隠れ層 {hidden}</translation>
    </message>
    <message>
        <source>{gate} with {method} on the compiled engine, {hidden} hidden</source>
        <translation>{gate}・{method}（コンパイル版エンジン）・隠れ層 {hidden}</translation>
    </message>
    <message>
        <source>{run} ({seconds} to compile)</source>
        <translation>{run}（コンパイルに {seconds}）</translation>
    </message>
    <message>
        <source>{run}: diverged at step {step} (the update stopped being finite); Reset to try again</source>
        <translation>{run}：ステップ {step} で発散しました（更新が有限の値でなくなりました）。リセットしてやり直してください</translation>
    </message>
    <message>
        <source>Compiling the compiled engine&apos;s loops for {run} (once in a while, up to a minute; not counted in any time)…</source>
        <translation>{run}：コンパイル版エンジンのループをコンパイルしています（しばらくぶりに一度だけ、最大 1 分ほど。どの時間にも数えません）…</translation>
    </message>
    <message>
        <source>Training {run}, surface {rate} — step {step}</source>
        <translation>学習中：{run}、曲面の更新 {rate} — ステップ {step}</translation>
    </message>
    <message>
        <source>Paused at step {step} ({run})</source>
        <translation>ステップ {step} で一時停止中（{run}）</translation>
    </message>
    <message>
        <source>{run} at step {step}: solved</source>
        <translation>{run}、ステップ {step}：解けました</translation>
    </message>
    <message>
        <source>{run} at step {step}: not solved (an output is more than 0.1 from its target)</source>
        <translation>{run}、ステップ {step}：解けていません（正解から 0.1 より離れた出力があります）</translation>
    </message>
    <message>
        <source>Finished {run} in {time}: solved</source>
        <translation>{run} の学習が {time} で終了：解けました</translation>
    </message>
    <message>
        <source>Finished {run} in {time}: not solved (an output is more than 0.1 from its target)</source>
        <translation>{run} の学習が {time} で終了：解けていません（正解から 0.1 より離れた出力があります）</translation>
    </message>
    <message>
        <source>Training failed: {error}. The network was reset to its seed; Start to try again</source>
        <translation>学習に失敗しました：{error}。ネットワークはシードから作った最初の状態に戻しました。開始でやり直せます</translation>
    </message>
    <message>
        <source>Ready at step {step} ({run})</source>
        <translation>ステップ {step} で待機中（{run}）</translation>
    </message>
    <message>
        <source>Ready: {run}. Press Start (Space)</source>
        <translation>準備完了：{run}。開始（Space）を押してください</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続行</translation>
    </message>
    <message>
        <source>Train on</source>
        <translation>続けて学習</translation>
    </message>
    <message>
        <source>New run</source>
        <translation>新しく学習</translation>
    </message>
    <message>
        <source> — Start trains this run on to step {step}</source>
        <translation> — 開始でこの学習をステップ {step} まで続けます</translation>
    </message>
    <message>
        <source> — settings changed: Start or Step begins a new run with them, from the seed</source>
        <translation> — 設定が変わりました：開始かステップで、新しい設定の学習をシードから始めます</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>もう一度学習</translation>
    </message>
    <message>
        <source>A run has trained for more than a minute and is not finished.

Open the other run and lose this one?</source>
        <translation>1 分以上学習した実行が終わっていません。

もう一方の実行を開いて、この実行を捨てますか？</translation>
    </message>
    <message>
        <source>A run has trained for more than a minute and is not finished.

Close GateLab and lose it?</source>
        <translation>1 分以上続いている学習がまだ終わっていません。

GateLab を閉じて、この学習を捨てますか？</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>{path} could not be written: {reason}.</source>
        <translation>{path} に書き込めませんでした：{reason}。</translation>
    </message>
    <message>
        <source>The picture could not be made.</source>
        <translation>画像を作れませんでした。</translation>
    </message>
    <message>
        <source>{path} could not be opened: {reason}.</source>
        <translation>{path} を開けませんでした：{reason}。</translation>
    </message>
    <message>
        <source>The 3D view is not drawn, so there is no picture of it to save.</source>
        <translation>3D 表示が描かれていないので、保存する画像がありません。</translation>
    </message>
    <message>
        <source>&amp;Open run…</source>
        <translation>学習を開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved run and go on from where it stopped</source>
        <translation>保存した学習を開き、止めたところから続けます</translation>
    </message>
    <message>
        <source>&amp;Save run</source>
        <translation>学習を保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the run: its settings, step count, parameters and optimizer state</source>
        <translation>学習を保存します：設定、ステップ数、パラメータ、最適化手法の状態</translation>
    </message>
    <message>
        <source>Save run &amp;as…</source>
        <translation>名前を付けて学習を保存(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the run to a new file</source>
        <translation>学習を新しいファイルに保存します</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Start/Pause</source>
        <translation>開始/一時停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>リセット(&amp;R)</translation>
    </message>
    <message>
        <source>Reset &amp;view</source>
        <translation>視点をリセット(&amp;V)</translation>
    </message>
    <message>
        <source>S&amp;tep</source>
        <translation>ステップ(&amp;T)</translation>
    </message>
    <message>
        <source>Train the number of steps in the Step × N box</source>
        <translation>「ステップ ×」の欄の数だけステップを学習します</translation>
    </message>
    <message>
        <source>&amp;3D view as PNG…</source>
        <translation>3D 表示を PNG で(&amp;3)…</translation>
    </message>
    <message>
        <source>&amp;Window as PNG…</source>
        <translation>ウィンドウを PNG で(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Loss history as CSV…</source>
        <translation>損失の履歴を CSV で(&amp;L)…</translation>
    </message>
    <message>
        <source>Finished runs as &amp;CSV…</source>
        <translation>終了した学習を CSV で(&amp;C)…</translation>
    </message>
    <message>
        <source>Finished runs as &amp;Markdown…</source>
        <translation>終了した学習を Markdown で(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Network as NumPy arrays (.npz)…</source>
        <translation>ネットワークを NumPy 配列 (.npz) で(&amp;N)…</translation>
    </message>
    <message>
        <source>W1, b1, W2, b2, … in the book&apos;s layout</source>
        <translation>本と同じ並びの W1, b1, W2, b2, …</translation>
    </message>
    <message>
        <source>Race table as M&amp;arkdown…</source>
        <translation>競走の表を Markdown で(&amp;A)…</translation>
    </message>
    <message>
        <source>Race table as C&amp;SV…</source>
        <translation>競走の表を CSV で(&amp;S)…</translation>
    </message>
    <message>
        <source>Si&amp;ngle run</source>
        <translation>1 つの学習(&amp;N)</translation>
    </message>
    <message>
        <source>One run, large</source>
        <translation>1 つの学習を大きく表示します</translation>
    </message>
    <message>
        <source>&amp;Race the methods</source>
        <translation>勾配の計算方法を競走(&amp;R)</translation>
    </message>
    <message>
        <source>Every gradient method from the same seed, side by side at its true speed</source>
        <translation>勾配のすべての計算方法を同じシードから並べて、それぞれ本来の速さで走らせます</translation>
    </message>
    <message>
        <source>All &amp;gates</source>
        <translation>すべてのゲート(&amp;G)</translation>
    </message>
    <message>
        <source>The six gates from the same seed, as one stacked computation</source>
        <translation>6 つのゲートを同じシードから、1 つに積み重ねた計算として学習します</translation>
    </message>
    <message>
        <source>Seed &amp;atlas</source>
        <translation>シード一覧(&amp;A)</translation>
    </message>
    <message>
        <source>Seeds 0 to K−1 at the same settings: which learn the gate, and the success rate against width</source>
        <translation>シード 0〜K−1 を同じ設定で学習：どのシードがゲートを学習できるかと、層の幅ごとの成功率</translation>
    </message>
    <message>
        <source>&amp;Settings and truth table</source>
        <translation>設定と真理値表(&amp;S)</translation>
    </message>
    <message>
        <source>L&amp;oss curve</source>
        <translation>損失のグラフ(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Timing and finished runs</source>
        <translation>計測と終了した学習(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>フルスクリーン(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Guide</source>
        <translation>ガイド(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;About GateLab</source>
        <translation>GateLab について(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Recent runs</source>
        <translation>最近の学習(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>エクスポート(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>学習(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Single run: look &amp;inside</source>
        <translation>1 つの学習：内部を見る(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>No recent runs</source>
        <translation>最近の学習はありません</translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation>一覧を消去(&amp;C)</translation>
    </message>
    <message>
        <source>GateLab — watch a network learn a logic gate[*]</source>
        <translation>GateLab — ニューラルネットワークが論理ゲートを学習するようすを見る[*]</translation>
    </message>
    <message>
        <source>{file}[*] — GateLab</source>
        <translation>{file}[*] — GateLab</translation>
    </message>
    <message>
        <source>Save run</source>
        <translation>学習を保存</translation>
    </message>
    <message>
        <source>GateLab runs (*.json)</source>
        <translation>GateLab の学習 (*.json)</translation>
    </message>
    <message>
        <source>GateLab: the run was not saved</source>
        <translation>GateLab：学習を保存できませんでした</translation>
    </message>
    <message>
        <source>The run stopped at step {step} to be saved in {file}; Continue goes on from there.</source>
        <translation>{file} に保存するため、学習をステップ {step} で止めました。続行でそこから続けます。</translation>
    </message>
    <message>
        <source>Saved {file} at step {step}.</source>
        <translation>ステップ {step} で {file} に保存しました。</translation>
    </message>
    <message>
        <source>Open run</source>
        <translation>学習を開く</translation>
    </message>
    <message>
        <source>GateLab runs (*.json);;All files (*)</source>
        <translation>GateLab の学習 (*.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>GateLab: the run was not opened</source>
        <translation>GateLab：学習を開けませんでした</translation>
    </message>
    <message>
        <source>Opened {file} at step {step}.</source>
        <translation>{file} をステップ {step} で開きました。</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>Markdown files (*.md)</source>
        <translation>Markdown ファイル (*.md)</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npz)</source>
        <translation>NumPy 配列 (*.npz)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>エクスポート</translation>
    </message>
    <message>
        <source>GateLab: nothing was exported</source>
        <translation>GateLab：何もエクスポートしませんでした</translation>
    </message>
    <message>
        <source>Exported {file}.</source>
        <translation>{file} をエクスポートしました。</translation>
    </message>
    <message>
        <source>GateLab will use {language} the next time it starts.</source>
        <translation>次に起動したときから{language}で表示します。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
</context>
<context>
    <name>NetworkDiagram</name>
    <message>
        <source>output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Weights: {positive} positive {negative} negative; fill: bias. Hover for values.</source>
        <translation>重み：{positive} 正 {negative} 負、塗り：バイアス。マウスを重ねると値を表示。</translation>
    </message>
    <message>
        <source>{positive} positive {negative} negative. Hover for values.</source>
        <translation>{positive} 正 {negative} 負。マウスを重ねると値を表示。</translation>
    </message>
    <message>
        <source>{positive} positive {negative} negative</source>
        <translation>{positive} 正 {negative} 負</translation>
    </message>
    <message>
        <source>{positive} + {negative} −</source>
        <translation>{positive} + {negative} −</translation>
    </message>
    <message>
        <source>Lines: weights, {positive} positive {negative} negative, wider when larger (full width at |w| = {full}). Fill: each unit&apos;s bias, the same colours. Hover over a line or a unit for its value.</source>
        <translation>線：重み。{positive} 正 {negative} 負で、絶対値が大きいほど太くなります（|w| = {full} で最大の太さ）。塗り：各ユニットのバイアス（色は同じ）。線やユニットにマウスを重ねると値を表示します。</translation>
    </message>
    <message>
        <source>Of its {total} weights only the {shown} largest in size are drawn.</source>
        <translation>重み {total} 個のうち、大きさの大きい {shown} 個だけを描いています。</translation>
    </message>
    <message>
        <source>{name}: an input, 0 or 1 on the truth table</source>
        <translation>{name}：入力。真理値表では 0 か 1</translation>
    </message>
    <message>
        <source>{param} = {value} (the bias of {name})</source>
        <translation>{param} = {value}（{name} のバイアス）</translation>
    </message>
    <message>
        <source>{param} = {value} (from {source} to {target})</source>
        <translation>{param} = {value}（{source} から {target} へ）</translation>
    </message>
</context>
<context>
    <name>NumberBox</name>
    <message>
        <source>{value} clamped to {end}: {why}</source>
        <translation>{value} を {end} に収めました：{why}</translation>
    </message>
    <message>
        <source>{name}: {rule}.</source>
        <translation>{name}：{rule}。</translation>
    </message>
    <message>
        <source>{why}; kept {value}</source>
        <translation>{why}。{value} のままにしました</translation>
    </message>
    <message>
        <source>{name} stops at {end}: {rule}</source>
        <translation>{name}は {end} までです：{rule}</translation>
    </message>
    <message>
        <source>{rule}.</source>
        <translation>{rule}。</translation>
    </message>
</context>
<context>
    <name>PaceBox</name>
    <message>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
    <message>
        <source>How fast the run goes on screen: full speed (the timing experiment), or at most this many steps a second, so that a fast method&apos;s run can be watched. The µs per step shown stays the method&apos;s own compute time.</source>
        <translation>画面上で学習が進む速さ：全速（時間を計る実験）か、速い計算方法の学習も目で追えるように毎秒この数までのステップ数。表示される µs/ステップは、計算方法そのものの計算時間のままです。</translation>
    </message>
    <message>
        <source>{steps} steps/s</source>
        <translation>{steps} ステップ/s</translation>
    </message>
    <message>
        <source>1 step/s</source>
        <translation>1 ステップ/s</translation>
    </message>
</context>
<context>
    <name>PlotItem</name>
    <message>
        <source>Plot Options</source>
        <translation>グラフのオプション</translation>
    </message>
    <message>
        <source>Transforms</source>
        <translation>変換</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>間引き</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>透明度</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>グリッド</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点</translation>
    </message>
</context>
<context>
    <name>RaceView</name>
    <message>
        <source>seed: redraw every step</source>
        <translation>元記事：毎ステップ再描画</translation>
    </message>
    <message>
        <source>seed: every step</source>
        <translation>元記事：毎ステップ</translation>
    </message>
    <message>
        <source>The seed&apos;s first program: central difference, the 3D plot cleared and redrawn every step. Its author timed 111 s for 200 steps and projected 11,100 s (about 3 hours) for 20,000.</source>
        <translation>元記事の最初のプログラム：中心差分で、3D グラフを毎ステップ消して描き直します。筆者は 200 ステップで 111 s と計測し、20,000 ステップでは 11,100 s（約 3 時間）と見積もりました。</translation>
    </message>
    <message>
        <source>seed: redraw every 1,000 steps</source>
        <translation>元記事：1,000 ステップごとに再描画</translation>
    </message>
    <message>
        <source>seed: every 1,000</source>
        <translation>元記事：1,000 ごと</translation>
    </message>
    <message>
        <source>The same program drawing the 3D plot only every 1,000 steps.</source>
        <translation>同じプログラムで、3D グラフを 1,000 ステップごとにだけ描くもの。</translation>
    </message>
    <message>
        <source>seed: forward difference [IX-4]</source>
        <translation>元記事：前方差分 [IX-4]</translation>
    </message>
    <message>
        <source>seed: forward</source>
        <translation>元記事：前方差分</translation>
    </message>
    <message>
        <source>Forward difference reusing the base loss, (L(p+h) − L(p)) / h, eq. [IX-4]: what GateLab calls forward.</source>
        <translation>基準の損失 L(p) を使い回す前方差分 (L(p+h) − L(p)) / h、式 [IX-4]。GateLab の forward にあたります。</translation>
    </message>
    <message>
        <source>seed: staged pass [IX-5]</source>
        <translation>元記事：段階的な計算 [IX-5]</translation>
    </message>
    <message>
        <source>seed: staged</source>
        <translation>元記事：段階的な計算</translation>
    </message>
    <message>
        <source>A perturbed layer-2 parameter recomputes only what follows it, eq. [IX-5]: what GateLab calls staged.</source>
        <translation>2 層目のパラメータを動かしたときは、その後ろだけを計算し直します。式 [IX-5]。GateLab の staged にあたります。</translation>
    </message>
    <message>
        <source>seed: no plotting</source>
        <translation>元記事：描画なし</translation>
    </message>
    <message>
        <source>The staged program with no 3D plot during training.</source>
        <translation>段階的な計算のプログラムで、学習中に 3D グラフを描かないもの。</translation>
    </message>
    <message>
        <source>method</source>
        <translation>計算方法</translation>
    </message>
    <message>
        <source>The gradient methods raced, from the same seed and settings; then the seed&apos;s own measurements and the cost of drawing the surface every step</source>
        <translation>同じシードと設定から競走させた勾配の計算方法。続いて元記事自身の計測値と、毎ステップ曲面を描き直す代償</translation>
    </message>
    <message>
        <source>µs/step</source>
        <translation>µs/ステップ</translation>
    </message>
    <message>
        <source>Gradient and update only, per step, in microseconds (the seed rows: his time for 20,000 steps ÷ 20,000)</source>
        <translation>勾配の計算と更新だけの 1 ステップあたりの時間（µs）。元記事の行は、筆者が計測した 20,000 ステップの時間 ÷ 20,000</translation>
    </message>
    <message>
        <source>loss
evaluations
per step</source>
        <translation>損失計算
/ステップ</translation>
    </message>
    <message>
        <source>Loss evaluations per step, counted while training (backprop: 1 forward and 1 backward pass)</source>
        <translation>1 ステップあたりの損失の計算回数。学習中に数えた値（backprop は順伝播 1 回と逆伝播 1 回）</translation>
    </message>
    <message>
        <source>time for
this run</source>
        <translation>この学習
の時間</translation>
    </message>
    <message>
        <source>The time for all of this run&apos;s steps: measured when the method has finished, else projected from its µs/step</source>
        <translation>この学習の全ステップにかかる時間：その計算方法が終了していれば計測値、まだなら µs/ステップからの見込み</translation>
    </message>
    <message>
        <source>time for
20,000 steps</source>
        <translation>20,000 ステップ
の時間</translation>
    </message>
    <message>
        <source>Every row at the seed&apos;s 20,000 steps, so rows compare. Methods: measured when this run is 20,000 steps and finished, else projected from µs/step. Seed rows: the times the seed&apos;s author measured on his machine, for 20,000 steps.</source>
        <translation>行どうしを比べられるよう、すべての行を元記事と同じ 20,000 ステップでそろえた時間。計算方法の行：この学習が 20,000 ステップで終了していれば計測値、それ以外は µs/ステップからの見込み。元記事の行：元記事の筆者が自分のマシンで 20,000 ステップについて計測した時間。</translation>
    </message>
    <message>
        <source>× central</source>
        <translation>central 比</translation>
    </message>
    <message>
        <source>How many times faster than central per step: central&apos;s µs/step ÷ this row&apos;s (blank when central is not in the race; the seed rows ran on another machine)</source>
        <translation>1 ステップあたり central の何倍速いか：central の µs/ステップ ÷ この行の µs/ステップ（central が競走に出ていないときは空欄。元記事の行は別のマシンで計測したので空欄）</translation>
    </message>
    <message>
        <source>final loss</source>
        <translation>最終損失</translation>
    </message>
    <message>
        <source>Binary cross-entropy over the four rows: at the end, or now while the run goes</source>
        <translation>4 行の交差エントロピー誤差：学習終了時の値。学習中は現在の値</translation>
    </message>
    <message>
        <source>solved</source>
        <translation>解けた</translation>
    </message>
    <message>
        <source>Every output within 0.1 of its target (now, while the run goes)</source>
        <translation>すべての出力が正解から 0.1 以内か（学習中は現在の状態）</translation>
    </message>
    <message>
        <source>time for
{steps} steps</source>
        <translation>{steps} ステップ
の時間</translation>
    </message>
    <message>
        <source>~{time}</source>
        <translation>約 {time}</translation>
    </message>
    <message>
        <source>{time} (projected)</source>
        <translation>{time}（見込み）</translation>
    </message>
    <message>
        <source>~{value}</source>
        <translation>約 {value}</translation>
    </message>
    <message>
        <source>diverged at step {step}</source>
        <translation>ステップ {step} で発散</translation>
    </message>
    <message>
        <source>{detail}
Measured by the seed&apos;s author on his machine, for 20,000 steps.</source>
        <translation>{detail}
元記事の筆者が自分のマシンで 20,000 ステップについて計測した値です。</translation>
    </message>
    <message>
        <source>Measured live: {drawn} µs/step with the surface redrawn every step, {headless} µs/step without; drawing makes a step {ratio} as long.</source>
        <translation>その場で計測：毎ステップ曲面を描き直すと {drawn} µs/ステップ、描き直さないと {headless} µs/ステップ。描画で 1 ステップの時間が {ratio} になります。</translation>
    </message>
    <message>
        <source>Measured live: {method} with the surface redrawn every step.</source>
        <translation>その場で計測：毎ステップ曲面を描き直した {method}。</translation>
    </message>
    <message>
        <source>{method}, surface redrawn every step</source>
        <translation>{method}、毎ステップ曲面を再描画</translation>
    </message>
    <message>
        <source>{method}, drawn every step</source>
        <translation>{method}、毎ステップ描画</translation>
    </message>
    <message>
        <source>time for 20,000 steps (pale: projected)</source>
        <translation>20,000 ステップの時間（薄い色：見込み）</translation>
    </message>
    <message>
        <source>{value} s</source>
        <translation>{value} s</translation>
    </message>
    <message>
        <source>{us} µs/step</source>
        <translation>{us} µs/ステップ</translation>
    </message>
    <message>
        <source>Steps done of the run&apos;s total</source>
        <translation>学習の総ステップ数のうち済んだステップ数</translation>
    </message>
    <message>
        <source>Gradient and update only, per step, measured in the training thread</source>
        <translation>勾配の計算と更新だけの 1 ステップあたりの時間。学習スレッドで計測</translation>
    </message>
    <message>
        <source>{done} / {total} steps</source>
        <translation>{done} / {total} ステップ</translation>
    </message>
    <message>
        <source>loss {loss}</source>
        <translation>損失 {loss}</translation>
    </message>
    <message>
        <source>{loss}, solved</source>
        <translation>{loss}、解けた</translation>
    </message>
    <message>
        <source>Race:</source>
        <translation>競走：</translation>
    </message>
    <message>
        <source>The methods that race when you press Start</source>
        <translation>開始を押すと競走する計算方法</translation>
    </message>
    <message>
        <source>Race {method} (at least one method races)</source>
        <translation>{method} を競走させる（少なくとも 1 つは競走します）</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>Markdown としてコピー</translation>
    </message>
    <message>
        <source>Copy as CSV</source>
        <translation>CSV としてコピー</translation>
    </message>
    <message>
        <source>Copy the table to the clipboard as Markdown</source>
        <translation>表を Markdown としてクリップボードにコピーします</translation>
    </message>
    <message>
        <source>Copy the table to the clipboard as CSV, numbers at full precision</source>
        <translation>表を CSV としてクリップボードにコピーします（数値は全桁）</translation>
    </message>
    <message>
        <source>Seed rows: timed by the author of the blog post GateLab grew from.</source>
        <translation>元記事の行：GateLab の元になったブログ記事の筆者が計測</translation>
    </message>
    <message>
        <source>{path} could not be written: {reason}.</source>
        <translation>{path} に書き込めませんでした：{reason}。</translation>
    </message>
</context>
<context>
    <name>Range</name>
    <message>
        <source>a whole number greater than {low}</source>
        <translation>{low} より大きい整数</translation>
    </message>
    <message>
        <source>a whole number at least {low}</source>
        <translation>{low} 以上の整数</translation>
    </message>
    <message>
        <source>a whole number greater than {low} and below {high}</source>
        <translation>{low} より大きく {high} 未満の整数</translation>
    </message>
    <message>
        <source>a whole number at least {low} and below {high}</source>
        <translation>{low} 以上 {high} 未満の整数</translation>
    </message>
    <message>
        <source>a whole number greater than {low} and at most {high}</source>
        <translation>{low} より大きく {high} 以下の整数</translation>
    </message>
    <message>
        <source>a whole number from {low} to {high}</source>
        <translation>{low} 以上 {high} 以下の整数</translation>
    </message>
    <message>
        <source>a number greater than {low}</source>
        <translation>{low} より大きい数</translation>
    </message>
    <message>
        <source>a number at least {low}</source>
        <translation>{low} 以上の数</translation>
    </message>
    <message>
        <source>a number greater than {low} and below {high}</source>
        <translation>{low} より大きく {high} 未満の数</translation>
    </message>
    <message>
        <source>a number at least {low} and below {high}</source>
        <translation>{low} 以上 {high} 未満の数</translation>
    </message>
    <message>
        <source>a number greater than {low} and at most {high}</source>
        <translation>{low} より大きく {high} 以下の数</translation>
    </message>
    <message>
        <source>a number from {low} to {high}</source>
        <translation>{low} 以上 {high} 以下の数</translation>
    </message>
    <message>
        <source>{name} must be {rule}, got {value}</source>
        <translation>{name}は{rule}でなければなりません（入力：{value}）</translation>
    </message>
    <message>
        <source>Up to {layers} hidden layers of {low} to {high} units each, their widths separated by commas: 4, 4,4 or 8,4</source>
        <translation>隠れ層は {layers} 層まで、各層 {low}〜{high} ユニット。各層の幅をカンマで区切って書きます（例：4、4,4、8,4）</translation>
    </message>
    <message>
        <source>hidden layers must be widths separated by commas, such as 4 or 8,4; got {text}</source>
        <translation>隠れ層は 4 や 8,4 のように幅をカンマで区切って書きます（入力：{text}）</translation>
    </message>
    <message>
        <source>at most {layers} hidden layers, got {count}</source>
        <translation>隠れ層は {layers} 層までです（入力：{count} 層）</translation>
    </message>
</context>
<context>
    <name>RunHistoryTable</name>
    <message>
        <source>gate</source>
        <translation>ゲート</translation>
    </message>
    <message>
        <source>The logic gate learned</source>
        <translation>学習した論理ゲート</translation>
    </message>
    <message>
        <source>method</source>
        <translation>計算方法</translation>
    </message>
    <message>
        <source>How the gradient was computed</source>
        <translation>勾配の計算方法</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隠れ層</translation>
    </message>
    <message>
        <source>Hidden units per layer</source>
        <translation>各隠れ層のユニット数</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Steps trained</source>
        <translation>学習したステップ数</translation>
    </message>
    <message>
        <source>result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>solved / not solved at the end; solved early (stopped when solved); diverged at step N (the update stopped being finite); stopped (by Reset)</source>
        <translation>解けた / 解けていない（終了時）、早期に解けた（解けたら停止）、N で発散（更新が有限の値でなくなった）、中断（リセットによる）</translation>
    </message>
    <message>
        <source>engine</source>
        <translation>エンジン</translation>
    </message>
    <message>
        <source>numpy, or compiled (the same steps as numba loops)</source>
        <translation>numpy、または compiled（同じ計算を numba のループで）</translation>
    </message>
    <message>
        <source>time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Wall time of the run: the steps and the live view, pauses excluded</source>
        <translation>学習の実時間：ステップとライブ表示の時間。一時停止は除きます</translation>
    </message>
    <message>
        <source>µs/step</source>
        <translation>µs/ステップ</translation>
    </message>
    <message>
        <source>Gradient and update only, per step, measured in the worker thread</source>
        <translation>勾配の計算と更新だけの 1 ステップあたりの時間。ワーカースレッドで計測</translation>
    </message>
    <message>
        <source>× fastest</source>
        <translation>最速比</translation>
    </message>
    <message>
        <source>µs/step ÷ the µs/step of the fastest run in this table: 1× is the fastest, 10× takes ten times as long per step</source>
        <translation>µs/ステップ ÷ この表で最速の学習の µs/ステップ：1× が最速、10× は 1 ステップに 10 倍の時間がかかります</translation>
    </message>
    <message>
        <source>final loss</source>
        <translation>最終損失</translation>
    </message>
    <message>
        <source>Binary cross-entropy over the four rows when the run ended</source>
        <translation>学習終了時の 4 行の交差エントロピー誤差</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>Hidden activation</source>
        <translation>隠れ層の活性化関数</translation>
    </message>
    <message>
        <source>init</source>
        <translation>初期値</translation>
    </message>
    <message>
        <source>Initialisation of the weights</source>
        <translation>重みの初期値</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <source>Optimizer, with its own options</source>
        <translation>最適化手法とそのオプション</translation>
    </message>
    <message>
        <source>Weight decay λ (L2 on the weights)</source>
        <translation>荷重減衰 λ（重みの L2 正則化）</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Finite-difference step (backprop does not use it)</source>
        <translation>数値微分の微小な差 h（backprop は使いません）</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Seed of the starting weights</source>
        <translation>重みの初期値のシード</translation>
    </message>
    <message>
        <source>surface</source>
        <translation>曲面</translation>
    </message>
    <message>
        <source>How often the 3D surface was redrawn during the run</source>
        <translation>学習中に 3D 曲面を描き直した頻度</translation>
    </message>
    <message>
        <source>The order the runs finished in</source>
        <translation>学習が終了した順番</translation>
    </message>
    <message>
        <source>Finished runs</source>
        <translation>終了した学習</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>Remove every finished run from the table</source>
        <translation>終了した学習をすべて表から消去します</translation>
    </message>
    <message>
        <source>Copy as CSV</source>
        <translation>CSV としてコピー</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>Markdown としてコピー</translation>
    </message>
    <message>
        <source>diverged at {step}</source>
        <translation>{step} で発散</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>solved early</source>
        <translation>早期に解けた</translation>
    </message>
    <message>
        <source>solved</source>
        <translation>解けた</translation>
    </message>
    <message>
        <source>not solved</source>
        <translation>解けていない</translation>
    </message>
</context>
<context>
    <name>ScheduleStatus</name>
    <message>
        <source>the race on {gate}, {hidden} hidden, seed {seed}</source>
        <translation>{gate}・隠れ層 {hidden}・シード {seed} の競走</translation>
    </message>
    <message>
        <source>the six gates with {method}, {hidden} hidden, seed {seed}</source>
        <translation>{method}・隠れ層 {hidden}・シード {seed} の 6 つのゲート</translation>
    </message>
    <message>
        <source>Ready: {run}. Press Start (Space)</source>
        <translation>準備完了：{run}。開始（Space）を押してください</translation>
    </message>
    <message>
        <source>Measuring what drawing costs: {method} with its surface redrawn after every step…</source>
        <translation>描画の代償を計測中：毎ステップのあとに曲面を描き直す {method}…</translation>
    </message>
    <message>
        <source>Racing: {run} — the leader at step {step} of {total}, {done} of {count} finished</source>
        <translation>競走中：{run} — 先頭はステップ {step} / {total}、{count} 個中 {done} 個が終了</translation>
    </message>
    <message>
        <source>Training {run} as one computation — step {step} of {total}</source>
        <translation>{run}を 1 つの計算として学習中 — ステップ {step} / {total}</translation>
    </message>
    <message>
        <source>Paused at step {step} ({run})</source>
        <translation>ステップ {step} で一時停止中（{run}）</translation>
    </message>
    <message>
        <source>Stopped at step {step} of {total}: {run}; {solved} of {count} gates solved</source>
        <translation>{total} ステップ中 {step} ステップで停止（{run}）：{count} 個中 {solved} 個のゲートが解けました</translation>
    </message>
    <message>
        <source>Stopped at step {step}: {run}; {done} of {count} finished, the others&apos; times are projected</source>
        <translation>ステップ {step} で停止（{run}）：{count} 個中 {done} 個が終了、ほかの時間は見込み</translation>
    </message>
    <message>
        <source>Finished {run}: {fastest} is fastest at {us} µs per step; {solved} of {count} solved</source>
        <translation>{run}が終了：最速は {fastest} で {us} µs/ステップ。{count} 個中 {solved} 個が解けました</translation>
    </message>
    <message>
        <source>Finished {run} at step {step}: {solved} of {count} gates solved</source>
        <translation>{run}の学習がステップ {step} で終了：{count} 個中 {solved} 個のゲートが解けました</translation>
    </message>
    <message>
        <source>the atlas of {gate} with {method}, {hidden} hidden</source>
        <translation>{gate}・{method}・隠れ層 {hidden} のシード一覧</translation>
    </message>
    <message>
        <source>Ready: {run}, seeds 0 to {last}. Press Start (Space)</source>
        <translation>準備完了：{run}、シード 0〜{last}。開始（Space）を押してください</translation>
    </message>
    <message>
        <source>Training {run}: {solved} of {seeds} seeds solved; now the width series</source>
        <translation>学習中：{run}、{seeds} 個中 {solved} 個のシードが解けました。続いて層の幅ごとの学習</translation>
    </message>
    <message>
        <source>Training {run}: {seeds} seeds as one computation — step {step} of {total}</source>
        <translation>学習中：{run}、シード {seeds} 個を 1 つの計算として — ステップ {step} / {total}</translation>
    </message>
    <message>
        <source>Finished {run}: {solved} of {seeds} seeds solved in {time}</source>
        <translation>{run}が {time} で終了：{seeds} 個中 {solved} 個のシードが解けました</translation>
    </message>
    <message>
        <source>Stopped {run} in the width series: {solved} of {seeds} seeds solved</source>
        <translation>層の幅ごとの学習の途中で停止（{run}）：{seeds} 個中 {solved} 個のシードが解けました</translation>
    </message>
    <message>
        <source>Stopped {run} at step {step} of {total}: {solved} of {seeds} seeds solved so far</source>
        <translation>{total} ステップ中 {step} ステップで停止（{run}）：ここまでに {seeds} 個中 {solved} 個のシードが解けました</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>The remembered settings and the command line&apos;s do not go together ({reason}): the command line&apos;s are used with the defaults.</source>
        <translation>記憶していた設定とコマンドラインの設定が両立しません（{reason}）。コマンドラインの設定を既定値とともに使います。</translation>
    </message>
    <message>
        <source>The remembered window size could not be used.</source>
        <translation>記憶していたウィンドウの大きさを使えませんでした。</translation>
    </message>
    <message>
        <source>The remembered panel sizes could not be used.</source>
        <translation>記憶していたパネルの大きさを使えませんでした。</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read; GateLab starts with its defaults.</source>
        <translation>設定ファイル {path} を読めませんでした。GateLab は既定の設定で起動します。</translation>
    </message>
    <message>
        <source>The settings file {path} held entries GateLab does not know (a damaged file?): {count} dropped.</source>
        <translation>設定ファイル {path} に GateLab の知らない項目がありました（ファイルの破損？）。{count} 件を捨てました。</translation>
    </message>
    <message>
        <source>The remembered {setting} could not be used ({reason}); it is back to its default.</source>
        <translation>記憶していた{setting}を使えませんでした（{reason}）。既定値に戻しました。</translation>
    </message>
    <message>
        <source>The remembered update rate could not be used ({reason}); the surface is redrawn by the clock.</source>
        <translation>記憶していた曲面の更新頻度を使えませんでした（{reason}）。時計で描き直します。</translation>
    </message>
    <message>
        <source>The remembered value of {key} could not be used; it is back to its default.</source>
        <translation>記憶していた {key} の値を使えませんでした。既定値に戻しました。</translation>
    </message>
    <message>
        <source>The remembered language {value!r} is not one GateLab has; the system&apos;s language is used.</source>
        <translation>記憶していた言語 {value!r} は GateLab にありません。システムの言語を使います。</translation>
    </message>
    <message>
        <source>The settings could not be saved to {path}.</source>
        <translation>設定を {path} に保存できませんでした。</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <source>no OpenGL: Qt&apos;s &apos;{platform}&apos; platform could not make an OpenGL context for the 3D view (a desktop session with OpenGL, or Mesa&apos;s libGL under Xvfb, is needed)</source>
        <translation>OpenGL がありません：Qt の &apos;{platform}&apos; プラットフォームで 3D 表示用の OpenGL コンテキストを作れませんでした（OpenGL の使えるデスクトップ環境か、Xvfb 上の Mesa の libGL が必要です）</translation>
    </message>
    <message>
        <source>Qt&apos;s &apos;{platform}&apos; platform made an OpenGL context through neither GLX nor EGL, which the 3D view (PyOpenGL) cannot draw with</source>
        <translation>Qt の &apos;{platform}&apos; プラットフォームが GLX でも EGL でもない OpenGL コンテキストを作ったため、3D 表示（PyOpenGL）で描けません</translation>
    </message>
    <message>
        <source>PyOpenGL was loaded for {loaded} before Qt&apos;s OpenGL ({api}) was known; start GateLab with PYOPENGL_PLATFORM={key}</source>
        <translation>Qt の OpenGL（{api}）がわかる前に PyOpenGL が {loaded} 用に読み込まれました。PYOPENGL_PLATFORM={key} を付けて GateLab を起動してください</translation>
    </message>
</context>
<context>
    <name>SurfaceView</name>
    <message>
        <source>PyOpenGL cannot see Qt&apos;s OpenGL context (GLX and EGL mixed up), so the 3D view cannot be drawn</source>
        <translation>PyOpenGL が Qt の OpenGL コンテキストを見つけられない（GLX と EGL の取り違え）ため、3D 表示を描けません</translation>
    </message>
    <message>
        <source>OpenGL could not be set up ({error})</source>
        <translation>OpenGL を準備できませんでした（{error}）</translation>
    </message>
    <message>
        <source>no OpenGL context could be made for the 3D view</source>
        <translation>3D 表示のための OpenGL コンテキストを作れませんでした</translation>
    </message>
    <message>
        <source>drawing the 3D view failed ({error})</source>
        <translation>3D 表示の描画に失敗しました（{error}）</translation>
    </message>
    <message>
        <source>The 3D view cannot be shown: {reason}.</source>
        <translation>3D 表示を表示できません：{reason}。</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Move through the run&apos;s kept steps: every step early on, then further apart.
Arrow keys: one kept step; Page Up/Down: ten; Home: the first; End: the latest.</source>
        <translation>学習で記録したステップをたどります。はじめは毎ステップ、あとになるほど間隔が開きます。
矢印キー：記録したステップ 1 つ分、Page Up/Down：10 個分、Home：最初、End：最新。</translation>
    </message>
    <message>
        <source>Replay position</source>
        <translation>再生位置</translation>
    </message>
    <message>
        <source>Step shown</source>
        <translation>表示中のステップ</translation>
    </message>
    <message>
        <source>Replay timeline</source>
        <translation>再生のタイムライン</translation>
    </message>
    <message>
        <source>No step kept yet</source>
        <translation>記録したステップはまだありません</translation>
    </message>
    <message>
        <source>step {step} of {total}</source>
        <translation>ステップ {step} / {total}</translation>
    </message>
    <message>
        <source>Replay is available when the run is paused or has finished.</source>
        <translation>再生は、学習を一時停止したときか終了したあとに使えます。</translation>
    </message>
    <message>
        <source>Pause the replay</source>
        <translation>再生を一時停止</translation>
    </message>
    <message>
        <source>Play the kept steps from here to the end (the whole run in about {seconds} s)</source>
        <translation>記録したステップをここから最後まで再生します（学習全体で約 {seconds} s）</translation>
    </message>
    <message>
        <source>Play the replay</source>
        <translation>再生</translation>
    </message>
</context>
<context>
    <name>TimingReadout</name>
    <message>
        <source>Elapsed</source>
        <translation>経過時間</translation>
    </message>
    <message>
        <source>Wall time spent training, drawing included, pauses excluded</source>
        <translation>学習に使った実時間（描画を含み、一時停止を除く）</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Steps done of the run&apos;s total</source>
        <translation>学習の総ステップ数のうち済んだステップ数</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>残り時間</translation>
    </message>
    <message>
        <source>To the end of the run, at the steps per second so far</source>
        <translation>これまでの毎秒ステップ数で、学習の終わりまでにかかる時間</translation>
    </message>
    <message>
        <source>Steps/s</source>
        <translation>ステップ/s</translation>
    </message>
    <message>
        <source>Steps per second of wall time, drawing included</source>
        <translation>実時間 1 秒あたりのステップ数（描画を含む）</translation>
    </message>
    <message>
        <source>Compute µs/step</source>
        <translation>計算 µs/ステップ</translation>
    </message>
    <message>
        <source>Gradient and update only, per step, measured in the worker thread (what `nn_core train` reports)</source>
        <translation>勾配の計算と更新だけの 1 ステップあたりの時間。ワーカースレッドで計測（`nn_core train` が表示する値）</translation>
    </message>
    <message>
        <source>Wall µs/step</source>
        <translation>実時間 µs/ステップ</translation>
    </message>
    <message>
        <source>Elapsed wall time ÷ steps: the step plus everything the live view costs (loss history, snapshots, drawing, waiting for the window); pauses excluded</source>
        <translation>経過した実時間 ÷ ステップ数：ステップそのものに、ライブ表示にかかるすべて（損失の履歴、スナップショット、描画、ウィンドウ待ち）を加えた時間。一時停止は除きます</translation>
    </message>
    <message>
        <source>Drawing share</source>
        <translation>描画の割合</translation>
    </message>
    <message>
        <source>1 − compute ÷ wall: the share of the wall time not spent on gradient and update, i.e. on the live view (drawing, snapshots, waiting for the window) and the loss history. In brackets: wall time per step as a multiple of the compute time per step (the seed&apos;s drawing every step made it about 70×)</source>
        <translation>1 − 計算 ÷ 実時間：実時間のうち勾配の計算と更新以外、つまりライブ表示（描画、スナップショット、ウィンドウ待ち）と損失の履歴に使った割合。括弧内は 1 ステップあたりの実時間が計算時間の何倍か（元の実験のように毎ステップ描画すると約 70×）</translation>
    </message>
    <message>
        <source>Loss evals/step</source>
        <translation>損失計算/ステップ</translation>
    </message>
    <message>
        <source>Loss evaluations the method made per step (counted by the engine)</source>
        <translation>計算方法が 1 ステップに行った損失の計算回数（エンジンが数えた値）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>Binary cross-entropy over the four rows</source>
        <translation>4 行の交差エントロピー誤差</translation>
    </message>
    <message>
        <source>Total time</source>
        <translation>合計時間</translation>
    </message>
    <message>
        <source>Wall time of the finished run</source>
        <translation>終了した学習の実時間</translation>
    </message>
    <message>
        <source>To the end of the steps under way (Step ×N), at the steps per second so far</source>
        <translation>これまでの毎秒ステップ数で、進行中のステップ（ステップ ×N）の終わりまでにかかる時間</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>計測</translation>
    </message>
    <message>
        <source>diverged at step {step}</source>
        <translation>ステップ {step} で発散</translation>
    </message>
    <message>
        <source>solved early, at step {step}</source>
        <translation>ステップ {step} で早期に解けた</translation>
    </message>
    <message>
        <source>Steps {start}–{end}: {percent}</source>
        <translation>ステップ {start}–{end}：{percent}</translation>
    </message>
    <message>
        <source>This Step: from step {start} to {end}</source>
        <translation>今回のステップ：{start} から {end} まで</translation>
    </message>
    <message>
        <source>The run&apos;s steps done of its total</source>
        <translation>学習の総ステップ数のうち済んだ割合</translation>
    </message>
    <message>
        <source>{method}: {cost}</source>
        <translation>{method}：{cost}</translation>
    </message>
</context>
<context>
    <name>TruthTablePanel</name>
    <message>
        <source>target</source>
        <translation>正解</translation>
    </message>
    <message>
        <source>output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Truth table</source>
        <translation>真理値表</translation>
    </message>
    <message>
        <source>{mark}: the output is within {tolerance} of its target</source>
        <translation>{mark}：出力が正解から {tolerance} 以内</translation>
    </message>
    <message>
        <source>Click a target to toggle it (0 ↔ 1): the gate becomes the function with those targets</source>
        <translation>正解をクリックすると 0 ↔ 1 が入れ替わり、ゲートはその正解の関数になります</translation>
    </message>
    <message>
        <source>Truth table: {gate} ({bits})</source>
        <translation>真理値表：{gate}（{bits}）</translation>
    </message>
    <message>
        <source>Click to make this target {bit}: the gate becomes {gate}
(a network with steps trained starts again from its seed; its run goes into Finished runs as stopped)</source>
        <translation>クリックするとこの正解を {bit} にします。ゲートは {gate} になります
（ステップを学習したネットワークはシードからやり直し、その学習は「中断」として終了した学習に入ります）</translation>
    </message>
    <message>
        <source>{locked} (a click here would make the gate {gate})</source>
        <translation>{locked}（ここをクリックするとゲートは {gate} になります）</translation>
    </message>
</context>
<context>
    <name>UnitsView</name>
    <message>
        <source>showing {shown} of {total} units of each hidden layer (the diagram shows all)</source>
        <translation>各隠れ層の {total} ユニットのうち {shown} 個を表示（図にはすべて表示）</translation>
    </message>
    <message>
        <source>showing {shown} of {total} units of each hidden layer</source>
        <translation>各隠れ層の {total} ユニットのうち {shown} 個を表示</translation>
    </message>
    <message>
        <source>showing {shown} of {total} units of layer {layer} (the diagram shows all)</source>
        <translation>第 {layer} 層の {total} ユニットのうち {shown} 個を表示（図にはすべて表示）</translation>
    </message>
    <message>
        <source>layer {layer}: {shown} of {total} units</source>
        <translation>第 {layer} 層：{total} ユニット中 {shown} 個</translation>
    </message>
    <message>
        <source>−1 to 1</source>
        <translation>−1〜1</translation>
    </message>
    <message>
        <source>0 to max</source>
        <translation>0〜最大</translation>
    </message>
    <message>
        <source>0 to 1</source>
        <translation>0〜1</translation>
    </message>
    <message>
        <source>output
{scale}</source>
        <translation>出力
{scale}</translation>
    </message>
    <message>
        <source>layer {layer}
{scale}</source>
        <translation>層 {layer}
{scale}</translation>
    </message>
    <message>
        <source>output
(sigmoid, 0 to 1)</source>
        <translation>出力
（sigmoid、0〜1）</translation>
    </message>
    <message>
        <source>hidden layer {layer}
(sigmoid, 0 to 1)</source>
        <translation>隠れ層 {layer}
（sigmoid、0〜1）</translation>
    </message>
    <message>
        <source>hidden layer {layer}
(tanh, −1 to 1)</source>
        <translation>隠れ層 {layer}
（tanh、−1〜1）</translation>
    </message>
    <message>
        <source>hidden layer {layer}
(relu, 0 to its largest)</source>
        <translation>隠れ層 {layer}
（relu、0〜最大値）</translation>
    </message>
    <message>
        <source>hidden layer {layer}
({activation})</source>
        <translation>隠れ層 {layer}
（{activation}）</translation>
    </message>
    <message>
        <source>Each map: a unit&apos;s output, dark low to bright high; filled dots read 1. Hover for more.</source>
        <translation>各マップ：ユニットの出力。暗いほど低く、明るいほど高い。塗りつぶした点は 1。マウスを重ねると詳しく表示。</translation>
    </message>
    <message>
        <source>A unit&apos;s output, dark low to bright high; filled dots read 1</source>
        <translation>ユニットの出力。暗いほど低く、明るいほど高い。塗りつぶした点は 1</translation>
    </message>
    <message>
        <source>Dark low, bright high; filled dots read 1</source>
        <translation>暗＝低、明＝高。塗りつぶした点は 1</translation>
    </message>
    <message>
        <source>Low to high; filled dots read 1</source>
        <translation>低 → 高。塗りつぶした点は 1</translation>
    </message>
    <message>
        <source>Low to high</source>
        <translation>低 → 高</translation>
    </message>
    <message>
        <source>the sigmoid units and the output from 0 to 1, as the 3D surface</source>
        <translation>sigmoid のユニットと出力は、3D 曲面と同じく 0〜1</translation>
    </message>
    <message>
        <source>the tanh units from −1 to 1, the output from 0 to 1</source>
        <translation>tanh のユニットは −1〜1、出力は 0〜1</translation>
    </message>
    <message>
        <source>each relu unit from 0 to its own largest value on the square, the output from 0 to 1</source>
        <translation>relu の各ユニットは 0 から正方形上でのそのユニット自身の最大値まで、出力は 0〜1</translation>
    </message>
    <message>
        <source>Each map: a unit&apos;s output over the square, x1 across and x2 up, coloured dark to bright: {scale}. Dots: the truth-table corners, filled where the unit reads 1.</source>
        <translation>各マップ：単位正方形上のユニットの出力（横軸 x1、縦軸 x2）を、暗い色から明るい色で表します：{scale}。点：真理値表の 4 つの角。ユニットが 1 と読めるところを塗りつぶしています。</translation>
    </message>
    <message>
        <source>step {step}, loss {loss}</source>
        <translation>ステップ {step}、損失 {loss}</translation>
    </message>
    <message>
        <source>{name}: no finite value</source>
        <translation>{name}：有限の値なし</translation>
    </message>
    <message>
        <source>no finite value</source>
        <translation>有限の値なし</translation>
    </message>
    <message>
        <source>{name}: {gate}</source>
        <translation>{name}：{gate}</translation>
    </message>
    <message>
        <source>margin {margin}</source>
        <translation>マージン {margin}</translation>
    </message>
    <message>
        <source>{name}: unclear</source>
        <translation>{name}：不明瞭</translation>
    </message>
    <message>
        <source>unclear</source>
        <translation>不明瞭</translation>
    </message>
    <message>
        <source>{name} ≈ {function}</source>
        <translation>{name} ≈ {function}</translation>
    </message>
    <message>
        <source>= {function}, margin {margin}</source>
        <translation>= {function}、マージン {margin}</translation>
    </message>
    <message>
        <source>The output unit (sigmoid)</source>
        <translation>出力層のユニット（sigmoid）</translation>
    </message>
    <message>
        <source>{name}: hidden layer {layer}, unit {index} ({activation})</source>
        <translation>{name}：隠れ層 {layer} のユニット {index}（{activation}）</translation>
    </message>
    <message>
        <source>As a function of x1 and x2: {function}</source>
        <translation>x1 と x2 の関数として：{function}</translation>
    </message>
    <message>
        <source>As a gate of the two units before it: {function}</source>
        <translation>前の層の 2 つのユニットのゲートとして：{function}</translation>
    </message>
    <message>
        <source>Margin {margin}: how far its least clear truth-table row is from the unit&apos;s midpoint, 0 to 0.5; below {unclear} the unit reads as unclear</source>
        <translation>マージン {margin}：真理値表の行のうちもっとも不明瞭な行が、ユニットの中間値からどれだけ離れているか（0〜0.5）。{unclear} 未満なら不明瞭とみなします</translation>
    </message>
    <message>
        <source>Its outputs on the rows 00, 01, 10, 11: {outputs}</source>
        <translation>行 00, 01, 10, 11 での出力：{outputs}</translation>
    </message>
    <message>
        <source>The map is not drawn: the network&apos;s values are not finite</source>
        <translation>マップは描いていません：ネットワークの値が有限ではありません</translation>
    </message>
    <message>
        <source>Colours from {low} (dark) to {high} (bright)</source>
        <translation>色：{low}（暗）〜 {high}（明）</translation>
    </message>
</context>
<context>
    <name>UpdateRate</name>
    <message>
        <source>every step</source>
        <translation>毎ステップ</translation>
    </message>
    <message>
        <source>every {steps} steps</source>
        <translation>{steps} ステップごと</translation>
    </message>
</context>
<context>
    <name>ViewBox</name>
    <message>
        <source>ViewBox options</source>
        <translation>表示範囲の設定</translation>
    </message>
    <message>
        <source>View All</source>
        <translation>すべて表示</translation>
    </message>
    <message>
        <source>axis</source>
        <translation>軸</translation>
    </message>
    <message>
        <source>Mouse Mode</source>
        <translation>マウスの操作</translation>
    </message>
    <message>
        <source>3 button</source>
        <translation>3 ボタン</translation>
    </message>
    <message>
        <source>1 button</source>
        <translation>1 ボタン</translation>
    </message>
</context>
<context>
    <name>nn_core</name>
    <message>
        <source>hidden units</source>
        <translation>隠れ層のユニット数</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>h</source>
        <translation>h</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>iterations</source>
        <translation>ステップ数</translation>
    </message>
    <message>
        <source>surface redraw interval (every N steps)</source>
        <translation>曲面を描き直す間隔（N ステップごと）</translation>
    </message>
    <message>
        <source>weight decay</source>
        <translation>荷重減衰</translation>
    </message>
    <message>
        <source>steps to add</source>
        <translation>追加するステップ数</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>モーメンタム</translation>
    </message>
    <message>
        <source>decay_rate</source>
        <translation>減衰率</translation>
    </message>
    <message>
        <source>beta1</source>
        <translation>β1</translation>
    </message>
    <message>
        <source>beta2</source>
        <translation>β2</translation>
    </message>
    <message>
        <source>Central difference</source>
        <translation>中心差分</translation>
    </message>
    <message>
        <source>Forward difference</source>
        <translation>前方差分</translation>
    </message>
    <message>
        <source>Staged forward difference</source>
        <translation>段階的な前方差分</translation>
    </message>
    <message>
        <source>Vectorized central difference</source>
        <translation>ベクトル化した中心差分</translation>
    </message>
    <message>
        <source>Backpropagation</source>
        <translation>誤差逆伝播法</translation>
    </message>
    <message>
        <source>2P loss evaluations a step</source>
        <translation>1 ステップに損失の計算 2P 回</translation>
    </message>
    <message>
        <source>P + 1 loss evaluations a step</source>
        <translation>1 ステップに損失の計算 P + 1 回</translation>
    </message>
    <message>
        <source>P + 1 loss evaluations a step, fewer layer evaluations</source>
        <translation>1 ステップに損失の計算 P + 1 回、層の計算は少なめ</translation>
    </message>
    <message>
        <source>2P loss evaluations a step, in one batched pass</source>
        <translation>1 ステップに損失の計算 2P 回を一括で</translation>
    </message>
    <message>
        <source>1 forward + 1 backward pass a step</source>
        <translation>1 ステップに順伝播 1 回 + 逆伝播 1 回</translation>
    </message>
    <message>
        <source>dL/dp ≈ (L(p+h) − L(p)) / h, recomputing only layers k.. for p in layer k   [IX-5]</source>
        <translation>dL/dp ≈ (L(p+h) − L(p)) / h、層 k の p では層 k 以降だけを計算し直す   [IX-5]</translation>
    </message>
    <message>
        <source>dL/dp ≈ (L(p+h) − L(p−h)) / 2h for all p at once   [IX-3]</source>
        <translation>dL/dp ≈ (L(p+h) − L(p−h)) / 2h をすべての p について一度に   [IX-3]</translation>
    </message>
    <message>
        <source>δ_L = y − t;  dL/dW_k = Z_{k−1}ᵀ δ_k;  δ_{k−1} = δ_k W_kᵀ ⊙ f′   (book ch. 5)</source>
        <translation>δ_L = y − t;  dL/dW_k = Z_{k−1}ᵀ δ_k;  δ_{k−1} = δ_k W_kᵀ ⊙ f′   （本の 5 章）</translation>
    </message>
    <message>
        <source>Sigmoid</source>
        <translation>シグモイド関数</translation>
    </message>
    <message>
        <source>Hyperbolic tangent</source>
        <translation>双曲線正接関数 tanh</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>the book&apos;s Sigmoid layer (common/layers.py; sigmoid in common/functions.py)</source>
        <translation>本の Sigmoid レイヤ（common/layers.py。sigmoid は common/functions.py）</translation>
    </message>
    <message>
        <source>the book&apos;s tanh (ch06/weight_init_activation_histogram.py)</source>
        <translation>本の tanh（ch06/weight_init_activation_histogram.py）</translation>
    </message>
    <message>
        <source>the book&apos;s Relu layer (common/layers.py)</source>
        <translation>本の Relu レイヤ（common/layers.py）</translation>
    </message>
    <message>
        <source>relu′ = 1 if a &gt; 0 else 0</source>
        <translation>a &gt; 0 なら relu′ = 1、それ以外は 0</translation>
    </message>
    <message>
        <source>Xavier (the book&apos;s)</source>
        <translation>Xavier の初期値（本の既定）</translation>
    </message>
    <message>
        <source>He</source>
        <translation>He の初期値</translation>
    </message>
    <message>
        <source>Std 0.01 (the book&apos;s weight_init_std)</source>
        <translation>標準偏差 0.01（本の weight_init_std）</translation>
    </message>
    <message>
        <source>the book&apos;s weight_init_std=&apos;xavier&apos; (or &apos;sigmoid&apos;) in common/multi_layer_net.py</source>
        <translation>本の common/multi_layer_net.py の weight_init_std=&apos;xavier&apos;（または &apos;sigmoid&apos;）</translation>
    </message>
    <message>
        <source>the book&apos;s weight_init_std=&apos;he&apos; (or &apos;relu&apos;) in common/multi_layer_net.py</source>
        <translation>本の common/multi_layer_net.py の weight_init_std=&apos;he&apos;（または &apos;relu&apos;）</translation>
    </message>
    <message>
        <source>the book&apos;s weight_init_std=0.01 in common/multi_layer_net.py</source>
        <translation>本の common/multi_layer_net.py の weight_init_std=0.01</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD（確率的勾配降下法）</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <source>Nesterov&apos;s accelerated gradient</source>
        <translation>Nesterov の加速勾配法</translation>
    </message>
    <message>
        <source>AdaGrad</source>
        <translation>AdaGrad</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>momentum α: the share of the last step kept</source>
        <translation>モーメンタム α：前回の更新を残す割合</translation>
    </message>
    <message>
        <source>ρ: how slowly RMSprop forgets past squared gradients</source>
        <translation>ρ：RMSprop が過去の勾配の 2 乗を忘れる遅さ</translation>
    </message>
    <message>
        <source>Adam&apos;s β1: decay of the gradient&apos;s running mean</source>
        <translation>Adam の β1：勾配の移動平均の減衰</translation>
    </message>
    <message>
        <source>Adam&apos;s β2: decay of the squared gradient&apos;s running mean</source>
        <translation>Adam の β2：勾配の 2 乗の移動平均の減衰</translation>
    </message>
    <message>
        <source>numpy: the readable code, one numpy call per layer</source>
        <translation>numpy：読みやすいコード。1 層ごとに numpy を 1 回呼ぶ</translation>
    </message>
    <message>
        <source>compiled: the same steps as numba loops, many steps per call (needs numba)</source>
        <translation>compiled：同じ計算を numba のループで。1 回の呼び出しで多くのステップ（numba が必要）</translation>
    </message>
    <message>
        <source>the compiled engine needs numba: pip install &apos;gatelab[compiled]&apos;</source>
        <translation>コンパイル版エンジンには numba が必要です：pip install &apos;gatelab[compiled]&apos;</translation>
    </message>
    <message>
        <source>seeds</source>
        <translation>シード数</translation>
    </message>
</context>
</TS>
