"""engine, data, project, export and labs import no Qt (DESIGN.md section 1): checked with Qt blocked."""
import subprocess
import sys

BLOCK_QT = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'):
            raise ImportError(f'{name} imported below the ui layer')
sys.meta_path.insert(0, Blocker())
import playground.engine, playground.engine.warmup, playground.engine.fused
import playground.data, playground.project, playground.project.session
import playground.cli, playground.bench
import playground.labs, playground.labs.race, playground.labs.surfaces, playground.labs.landscape
import playground.labs.backprop, playground.labs.ema, playground.labs.activation_curves
import playground.labs.kernels, playground.labs.hands
print('ok')
"""


def test_engine_data_project_and_labs_never_import_qt():
    out = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
