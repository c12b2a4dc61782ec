#pragma once
/// @file positionruler.h
/// A thin strip beside the document's scroll bar that shows the whole document at once: where
/// the item says its evidence sits, every passage marked as evidence, every find match, and the
/// part of the document on screen. A click jumps there.

#include <QColor>
#include <QRectF>
#include <QWidget>

#include <vector>

namespace concord::ui {

class PositionRuler final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PositionRuler)

public:
    /// A stretch of the document as fractions of its length, in [0,1].
    struct Span
    {
        double from = 0;
        double to = 0;
        QColor color;
    };

    explicit PositionRuler(QWidget *parent = nullptr);

    void setSpans(std::vector<Span> spans);
    void setMatches(std::vector<double> positions);
    /// The item's evidence_position, or a negative value for none.
    void setEvidencePosition(double position);
    void setViewport(double from, double to);

    const std::vector<Span> &spans() const { return m_spans; }
    double evidencePosition() const { return m_evidencePosition; }
    /// Where the ◆ for the evidence position is drawn; empty when there is none.
    QRectF evidenceMarkerRect() const;

    QSize sizeHint() const override { return {14, 100}; }
    QSize minimumSizeHint() const override { return {14, 20}; }

signals:
    /// The user clicked the ruler at `position` (a fraction of the document).
    void positionClicked(double position);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    double fractionAt(int y) const;
    int yOf(double fraction) const;

    std::vector<Span> m_spans;
    std::vector<double> m_matches;
    double m_evidencePosition = -1;
    double m_viewFrom = 0, m_viewTo = 0;
};

} // namespace concord::ui
